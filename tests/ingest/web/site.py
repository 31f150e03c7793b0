"""A newsroom website for the web-ingest tests, served by pytest-httpserver on
127.0.0.1: realistic article pages in vi/en/ru (navigation, cookie banner,
related-article box, comments, scripts, sidebar and footer around the body), an
RSS feed, an Atom feed, a sitemap, robots.txt, redirects, errors, a slow page, a
huge page and a PDF.

Each article lists the sentences of its body (which the kept text must hold) and
the page's boilerplate (which it must not)."""

from __future__ import annotations

import hashlib
import html
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC

from werkzeug.wrappers import Request, Response


@dataclass
class Article:
    path: str
    lang: str
    title: str
    author: str
    published: str  # YYYY-MM-DD
    paragraphs: list[str]
    section: str = ""

    @property
    def body_sentences(self) -> list[str]:
        return [p.split(". ")[0] for p in self.paragraphs]


VI = Article(
    path="/thoi-su/nghe-an-khanh-thanh-dien-mat-troi-noi-vuc-mau.html",
    lang="vi",
    title="Nghệ An khánh thành nhà máy điện mặt trời nổi trên hồ Vực Mấu",
    author="Trần Minh Đức",
    published="2025-03-12",
    section="Thời sự",
    paragraphs=[
        "Sáng 12/3, tại huyện Quỳnh Lưu, UBND tỉnh Nghệ An tổ chức lễ khánh thành nhà máy "
        "điện mặt trời nổi trên hồ Vực Mấu, công trình năng lượng tái tạo lớn nhất của tỉnh "
        "tính đến nay.",
        "Nhà máy có công suất 47 MW, được lắp đặt trên diện tích mặt nước khoảng 60 ha với "
        "hơn 108.000 tấm pin quang điện. Tổng vốn đầu tư của dự án là 1.200 tỷ đồng do Công ty "
        "cổ phần Năng lượng Xanh Bắc Trung Bộ làm chủ đầu tư.",
        "Theo chủ đầu tư, mỗi năm nhà máy sẽ cung cấp cho lưới điện quốc gia khoảng 68 triệu "
        "kWh, đủ dùng cho chừng 30.000 hộ gia đình. Hệ thống phao nổi giúp giảm bốc hơi nước "
        "của hồ chứa trong mùa khô.",
        "Phát biểu tại buổi lễ, Phó Chủ tịch UBND tỉnh đề nghị chủ đầu tư bảo đảm an toàn hồ "
        "đập, phối hợp với địa phương hỗ trợ người dân vùng dự án chuyển đổi sinh kế.",
        "Dự án được khởi công vào tháng 5/2023 và hoàn thành sau 22 tháng thi công, sớm hơn "
        "kế hoạch hai tháng.",
    ],
)

EN = Article(
    path="/en/economy/cua-lo-container-terminal-opens",
    lang="en",
    title="Cua Lo port opens its first deep-water container terminal",
    author="Jane Whitfield",
    published="2025-04-18",
    section="Economy",
    paragraphs=[
        "The new container terminal at Cua Lo port in Nghe An province received its first "
        "ship on Friday, a 50,000-tonne vessel carrying goods from Singapore.",
        "The terminal has a berth 420 metres long and a channel dredged to a depth of 12 "
        "metres. It cost 2,300 billion VND and was built by the Vinh Maritime Investment "
        "Company over three years.",
        "Port managers expect the terminal to handle 1.2 million tonnes of cargo a year once "
        "its two gantry cranes are fully in service. Until now, large ships bound for Nghe "
        "An had to unload at Nghi Son port in neighbouring Thanh Hoa.",
        "Exporters of wood pellets and processed seafood, the province's two largest export "
        "groups, are expected to be the main users of the terminal.",
        "The provincial government plans a second berth by 2028 and a logistics centre on "
        "40 hectares behind the port.",
    ],
)

RU = Article(
    path="/ru/kultura/muzej-remesel-nghean",
    lang="ru",
    title="В провинции Нгеан открылся музей народных ремёсел",
    author="Ольга Кравцова",
    published="2025-05-05",
    section="Культура",
    paragraphs=[
        "В городе Винь 5 мая открылся музей народных ремёсел провинции Нгеан, первый музей "
        "такого рода в Северной части Центрального Вьетнама.",
        "В экспозиции представлено 3200 предметов: ткани народности тхай, бамбуковые "
        "изделия, керамика из деревни Чунгдо и инструменты кузнецов. Площадь музея "
        "составляет 4500 квадратных метров.",
        "Строительство обошлось в 85 миллиардов донгов, из которых треть выделили частные "
        "меценаты. Вход для школьников будет бесплатным.",
        "При музее работают мастерские, где посетители могут попробовать ткать на станке "
        "и лепить посуду вместе с мастерами.",
        "Директор музея рассказал, что коллекцию собирали почти десять лет в горных районах "
        "провинции.",
    ],
)

ARTICLES = [VI, EN, RU]

# The page furniture, per language: every string must stay out of the kept text.
CHROME = {
    "vi": {
        "site": "Báo Nghệ An Điện tử",
        "nav": ["Trang chủ", "Thời sự", "Kinh tế", "Xã hội", "Thể thao", "Liên hệ quảng cáo"],
        "cookie": "Chúng tôi sử dụng cookie để cải thiện trải nghiệm đọc báo của bạn. Bằng việc "
                  "tiếp tục truy cập, bạn đồng ý với chính sách cookie của chúng tôi.",
        "accept": "Đồng ý tất cả",
        "related_h": "Tin liên quan",
        "related": ["Giá xăng giảm lần thứ ba liên tiếp từ chiều nay",
                    "Đội tuyển bóng đá nữ giành vé dự vòng chung kết châu Á",
                    "Mưa lớn gây ngập cục bộ nhiều tuyến phố ở thành phố Vinh"],
        "comments_h": "Bình luận (2)",
        "comments": [("Nguyễn Văn Hùng", "Thật đáng mừng cho quê hương, mong tỉnh thu hút thêm "
                                          "nhiều dự án xanh như thế này nữa!"),
                     ("Lê Thị Mai", "Không biết giá điện cho người dân quanh hồ có rẻ hơn "
                                    "không hả quý báo?")],
        "popular_h": "Đọc nhiều nhất",
        "popular": ["Lịch nghỉ lễ 30/4 năm nay kéo dài năm ngày",
                    "Phát hiện hang động mới ở vườn quốc gia Pù Mát"],
        "share": "Chia sẻ bài viết qua Facebook hoặc Zalo",
        "newsletter": "Đăng ký nhận bản tin buổi sáng qua email",
        "footer": "© 2025 Báo Nghệ An Điện tử. Giấy phép số 123/GP-BTTTT. Tổng biên tập: "
                  "Nguyễn Văn Bình. Địa chỉ tòa soạn: số 5 đường Lê Hồng Phong, TP Vinh.",
    },
    "en": {
        "site": "Nghe An News",
        "nav": ["Home", "Politics", "Economy", "Society", "Sport", "Advertise with us"],
        "cookie": "We use cookies to improve your reading experience. By continuing to browse "
                  "this site you agree to our use of cookies.",
        "accept": "Accept all cookies",
        "related_h": "Related articles",
        "related": ["Petrol prices fall for the third time in a row",
                    "Women's football team qualifies for the Asian finals",
                    "Heavy rain floods several streets in Vinh city"],
        "comments_h": "Comments (2)",
        "comments": [("Tom B.", "Great news for the region, I hope more investors follow "
                                "this example soon!"),
                     ("Linh N.", "Will this make shipping cheaper for small exporters "
                                 "like my family's business?")],
        "popular_h": "Most read",
        "popular": ["Holiday schedule for 30 April announced",
                    "New cave discovered in Pu Mat national park"],
        "share": "Share this article on Facebook or Twitter",
        "newsletter": "Sign up for our morning newsletter",
        "footer": "© 2025 Nghe An News. All rights reserved. Editor-in-chief: Nguyen Van "
                  "Binh. Newsroom: 5 Le Hong Phong street, Vinh city.",
    },
    "ru": {
        "site": "Новости Нгеана",
        "nav": ["Главная", "Политика", "Экономика", "Общество", "Спорт", "Реклама на сайте"],
        "cookie": "Мы используем файлы cookie, чтобы сделать чтение сайта удобнее. Продолжая "
                  "просмотр, вы соглашаетесь с нашей политикой cookie.",
        "accept": "Принять все",
        "related_h": "Читайте также",
        "related": ["Цены на бензин снизились третий раз подряд",
                    "Женская сборная по футболу вышла в финал Кубка Азии",
                    "Ливень затопил несколько улиц города Винь"],
        "comments_h": "Комментарии (2)",
        "comments": [("Андрей П.", "Замечательная новость, обязательно схожу туда с детьми "
                                   "этим летом!"),
                     ("Мария", "А экскурсии на русском языке там проводят или только на "
                               "вьетнамском?")],
        "popular_h": "Самое читаемое",
        "popular": ["Объявлен график праздников на 30 апреля",
                    "В национальном парке Пумат нашли новую пещеру"],
        "share": "Поделиться статьёй во ВКонтакте или Telegram",
        "newsletter": "Подпишитесь на утреннюю рассылку новостей",
        "footer": "© 2025 Новости Нгеана. Все права защищены. Главный редактор: Нгуен Ван "
                  "Бинь. Адрес редакции: улица Ле Хонг Фонг, 5, город Винь.",
    },
}

SCRIPT_TEXT = "window.dataLayer.push({event: 'pageview', adSlot: 'TOP_BANNER_728'})"


def boilerplate(lang: str) -> list[str]:
    """Every piece of page furniture that must not reach the index."""
    c = CHROME[lang]
    return [c["cookie"][:60], c["accept"], c["related_h"], *c["related"], c["comments_h"],
            *(text[:50] for _, text in c["comments"]), *(name for name, _ in c["comments"]),
            c["popular_h"], *c["popular"], c["share"], c["newsletter"], c["footer"][:40],
            c["nav"][-1], SCRIPT_TEXT[:30], "TOP_BANNER_728"]


def article_html(article: Article, base: str, paragraphs: list[str] | None = None,
                 canonical: str | None = None) -> str:
    """The whole page, as a newsroom CMS renders it."""
    c = CHROME[article.lang]
    e = html.escape
    paras = paragraphs or article.paragraphs
    body = "\n".join(f"<p>{e(p)}</p>" for p in paras[:3])
    body_rest = "\n".join(f"<p>{e(p)}</p>" for p in paras[3:])
    related = "".join(f'<li><a href="/tin/{i}.html">{e(r)}</a></li>'
                      for i, r in enumerate(c["related"]))
    comments = "".join(f'<li class="comment"><span class="comment-author">{e(n)}</span>'
                       f'<p class="comment-text">{e(t)}</p><a href="#">Trả lời</a></li>'
                       for n, t in c["comments"])
    popular = "".join(f'<li><a href="/p/{i}">{e(p)}</a></li>' for i, p in enumerate(c["popular"]))
    nav = "".join(f'<li><a href="/{i}">{e(n)}</a></li>' for i, n in enumerate(c["nav"]))
    canonical = canonical or base + article.path
    return f"""<!DOCTYPE html>
<html lang="{article.lang}">
<head>
<meta charset="utf-8">
<title>{e(article.title)} | {e(c["site"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(article.paragraphs[0][:150])}">
<meta name="author" content="{e(article.author)}">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(c["site"])}">
<meta property="article:published_time" content="{article.published}T07:30:00+07:00">
<meta property="article:modified_time" content="2025-06-01T10:00:00+07:00">
<link rel="canonical" href="{e(canonical)}">
<link rel="stylesheet" href="/static/site.css">
<style>.cookie-banner{{position:fixed;bottom:0}} .ad{{width:728px}}</style>
<script>{SCRIPT_TEXT}</script>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{e(article.title)}", "datePublished": "{article.published}T07:30:00+07:00",
"author": {{"@type": "Person", "name": "{e(article.author)}"}}}}</script>
</head>
<body>
<div id="cookie-consent" class="cookie-banner" role="dialog">
  <p>{e(c["cookie"])}</p><button>{e(c["accept"])}</button>
</div>
<header class="site-header">
  <a class="logo" href="/">{e(c["site"])}</a>
  <nav class="main-menu"><ul>{nav}</ul></nav>
  <form class="search"><input name="q" placeholder="..."></form>
</header>
<div class="ad ad-top"><script>document.write('<img src="/ads/728.gif">')</script></div>
<main class="container">
  <div class="breadcrumb"><a href="/">{e(c["nav"][0])}</a> › <a href="/s">{e(article.section)}</a></div>
  <article class="article-detail">
    <h1 class="article-title">{e(article.title)}</h1>
    <div class="article-meta"><span class="author">{e(article.author)}</span>
      <time datetime="{article.published}T07:30:00+07:00">{article.published}</time></div>
    <div class="article-body">
      {body}
      <figure><img src="/img/photo.jpg" alt=""><figcaption>Ảnh: Hoàng Anh</figcaption></figure>
      {body_rest}
    </div>
    <div class="share-buttons"><span>{e(c["share"])}</span></div>
    <section class="related-news">
      <h3>{e(c["related_h"])}</h3><ul>{related}</ul>
    </section>
    <section id="comments" class="comments">
      <h3>{e(c["comments_h"])}</h3><ul>{comments}</ul>
      <form class="comment-form"><textarea></textarea><button>Gửi</button></form>
    </section>
  </article>
  <aside class="sidebar">
    <h3>{e(c["popular_h"])}</h3><ul>{popular}</ul>
    <div class="newsletter"><p>{e(c["newsletter"])}</p><input type="email"></div>
  </aside>
</main>
<footer class="site-footer"><p>{e(c["footer"])}</p></footer>
<script src="/static/app.js"></script>
<script>var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>
</body>
</html>"""


def rss_feed(base: str, items: list[tuple[Article, str]]) -> str:
    """RSS 2.0 whose items link to `url` (relative to base) for each article."""
    e = html.escape
    entries = "".join(
        f"<item><title>{e(a.title)}</title><link>{e(base + url)}</link>"
        f"<guid>{e(base + url)}</guid><pubDate>{_rfc822(a.published)}</pubDate>"
        f"<description>{e(a.paragraphs[0][:100])}</description></item>"
        for a, url in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Nghe An News</title><link>{e(base)}/</link>"
            f"<description>Latest</description>{entries}</channel></rss>")


def atom_feed(base: str, items: list[tuple[Article, str]]) -> str:
    e = html.escape
    entries = "".join(
        f'<entry><title>{e(a.title)}</title><link href="{e(base + url)}"/>'
        f"<id>{e(base + url)}</id><updated>{a.published}T07:30:00Z</updated></entry>"
        for a, url in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Nghe An News</title><id>{e(base)}/</id>"
            f"<updated>2025-06-01T00:00:00Z</updated>{entries}</feed>")


def sitemap(base: str, urls: list[str], lastmod: str | None = None) -> str:
    mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    entries = "".join(f"<url><loc>{html.escape(base + u)}</loc>{mod}</url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def sitemap_index(base: str, sitemaps: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{html.escape(base + u)}</loc></sitemap>" for u in sitemaps)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            "</sitemapindex>")


def _rfc822(day: str) -> str:
    from datetime import date
    from email.utils import format_datetime

    d = date.fromisoformat(day)
    from datetime import datetime

    return format_datetime(datetime(d.year, d.month, d.day, 7, 30, tzinfo=UTC))


ROBOTS = "User-agent: *\nDisallow: /private/\n"


@dataclass
class Page:
    """One served document; `body` can be changed between requests."""

    body: str | bytes | Callable[[], Iterable[bytes]]  # a callable: streamed, no Content-Length
    content_type: str = "text/html; charset=utf-8"
    validators: bool = True  # send ETag and Last-Modified, answer 304 when they match
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    def etag(self) -> str:
        data = self.body.encode() if isinstance(self.body, str) else self.body
        return '"' + hashlib.sha256(data).hexdigest()[:16] + '"'


class NewsSite:
    """The routes of the site on one pytest-httpserver, with a request log."""

    LAST_MODIFIED = "Sun, 01 Jun 2025 03:00:00 GMT"

    def __init__(self, server):
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server.expect_request(re.compile(r"^/.*")).respond_with_handler(self._handle)
        server.no_handler_status_code = 404

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, page: Page) -> str:
        self.pages[path] = page
        return self.url(path)

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for `path` so far."""
        with self._lock:
            return [h for _, p, h in self.requests if p == path]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def _handle(self, request: Request) -> Response:
        path = request.full_path.rstrip("?") if request.query_string else request.path
        with self._lock:
            self.requests.append((time.monotonic(), path, dict(request.headers)))
        page = self.pages.get(path)
        if page is None:
            return Response("<h1>Not found</h1>", status=404, content_type="text/html")
        if page.delay:
            time.sleep(page.delay)
        headers = dict(page.headers)
        if page.validators and page.status == 200:
            headers.update({"ETag": page.etag(), "Last-Modified": self.LAST_MODIFIED})
            if request.headers.get("If-None-Match") == page.etag():
                return Response(status=304, headers=headers)
        body = page.body() if callable(page.body) else page.body
        return Response(body, status=page.status, content_type=page.content_type,
                        headers=headers)


def redirect(to: str, status: int = 301) -> Page:
    return Page("", status=status, validators=False, headers={"Location": to})


def big_page(megabytes: float) -> str:
    paragraph = "<p>" + "Filler text of a very long page. " * 30 + "</p>\n"
    return "<html><body><article>" + paragraph * int(megabytes * 1e6 / len(paragraph) + 1) + \
        "</article></body></html>"


def populate(site: NewsSite) -> NewsSite:
    """Every route the web tests use (see the module docstring)."""
    base = site.base
    for article in ARTICLES:
        site.add(article.path, Page(article_html(article, base)))
    en = EN.path
    site.add("/robots.txt", Page(ROBOTS, content_type="text/plain", validators=False))
    site.add("/private/memo.html", Page(article_html(EN, base)))
    items = [(a, a.path) for a in ARTICLES]
    site.add("/rss.xml", Page(rss_feed(base, items), content_type="application/rss+xml"))
    site.add("/atom.xml", Page(atom_feed(base, items), content_type="application/atom+xml"))
    site.add("/sitemap.xml", Page(sitemap(base, [a.path for a in ARTICLES], "2025-06-01"),
                                  content_type="application/xml"))
    site.add("/sitemap-index.xml", Page(sitemap_index(base, ["/sitemap.xml", "/sitemap-gone.xml"]),
                                        content_type="application/xml"))
    site.add("/old/cua-lo", redirect(en))
    site.add("/loop/a", redirect("/loop/b", 302))
    site.add("/loop/b", redirect("/loop/a", 302))
    site.add(en + "?utm_source=rss", Page(article_html(EN, base)))
    site.add("/broken", Page("<h1>Internal error</h1>", status=500, validators=False))
    site.add("/slow", Page(article_html(EN, base), delay=3.0))
    site.add("/huge", Page(big_page(1.5)))
    site.add("/report.pdf", Page(b"%PDF-1.4 not really", content_type="application/pdf"))
    site.add("/empty.html", Page("<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    return site
