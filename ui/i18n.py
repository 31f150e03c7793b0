"""Interface labels in English, Vietnamese and Russian.

The language selector sets both the answer language and these labels; in Auto
mode the interface stays in English."""

from __future__ import annotations

UI_LANGUAGES = ("en", "vi", "ru")

# (label, value) pairs for the language selector; the labels are endonyms so they
# never need translating.
LANGUAGE_CHOICES = [
    ("Auto", "auto"),
    ("Tiếng Việt", "vi"),
    ("English", "en"),
    ("Русский", "ru"),
]

EXAMPLES = [
    "Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?",
    "Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
    "Сколько делегаций провинция Нгеан приняла в 2024 году?",
]

LABELS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Newsroom Q&A",
        "vi": "Hỏi đáp tòa soạn",
        "ru": "Вопросы и ответы редакции",
    },
    "subtitle": {
        "en": "Ask about the news articles in Vietnamese, English or Russian. "
              "Every answer cites its sources.",
        "vi": "Đặt câu hỏi về các bài báo bằng tiếng Việt, tiếng Anh hoặc tiếng Nga. "
              "Mọi câu trả lời đều dẫn nguồn.",
        "ru": "Задавайте вопросы о новостных статьях на вьетнамском, английском или русском. "
              "Каждый ответ ссылается на источники.",
    },
    "mode": {"en": "mode", "vi": "chế độ", "ru": "режим"},
    "language": {
        "en": "Language (answers and interface)",
        "vi": "Ngôn ngữ (câu trả lời và giao diện)",
        "ru": "Язык (ответов и интерфейса)",
    },
    "tab_chat": {"en": "Chat", "vi": "Hỏi đáp", "ru": "Чат"},
    "tab_docs": {"en": "Documents", "vi": "Tài liệu", "ru": "Документы"},
    "tab_eval": {"en": "Evaluation", "vi": "Đánh giá", "ru": "Оценка"},
    "chat": {"en": "Conversation", "vi": "Hội thoại", "ru": "Диалог"},
    "chat_placeholder": {
        "en": "Ask a question about the articles. References like [1] link to the sources.",
        "vi": "Hãy đặt câu hỏi về các bài viết. Các chú thích như [1] dẫn tới nguồn.",
        "ru": "Задайте вопрос о статьях. Ссылки вида [1] ведут к источникам.",
    },
    "question": {"en": "Your question", "vi": "Câu hỏi của bạn", "ru": "Ваш вопрос"},
    "question_placeholder": {
        "en": "Type a question and press Enter…",
        "vi": "Nhập câu hỏi và nhấn Enter…",
        "ru": "Введите вопрос и нажмите Enter…",
    },
    "send": {"en": "Ask", "vi": "Hỏi", "ru": "Спросить"},
    "clear": {"en": "Clear chat", "vi": "Xóa hội thoại", "ru": "Очистить чат"},
    "examples": {"en": "Example questions", "vi": "Câu hỏi mẫu", "ru": "Примеры вопросов"},
    "sources": {"en": "Sources", "vi": "Nguồn", "ru": "Источники"},
    "sources_empty": {
        "en": "The sources of the answer appear here.",
        "vi": "Nguồn của câu trả lời sẽ hiện ở đây.",
        "ru": "Здесь появятся источники ответа.",
    },
    "searching": {
        "en": "Searching the articles…",
        "vi": "Đang tìm trong các bài viết…",
        "ru": "Поиск по статьям…",
    },
    "retrieved": {
        "en": "Passages found (answer in progress)",
        "vi": "Các đoạn tìm được (đang soạn câu trả lời)",
        "ru": "Найденные фрагменты (ответ готовится)",
    },
    "no_sources": {
        "en": "No source supports an answer.",
        "vi": "Không có nguồn nào hỗ trợ câu trả lời.",
        "ru": "Ни один источник не подтверждает ответ.",
    },
    "full_article": {"en": "Full article", "vi": "Toàn bộ bài viết", "ru": "Статья целиком"},
    "also_in": {"en": "also in", "vi": "cũng có bằng", "ru": "также на"},
    "uncited": {
        "en": "Other retrieved passages (not cited)",
        "vi": "Các đoạn khác tìm được (không được trích dẫn)",
        "ru": "Другие найденные фрагменты (без ссылок)",
    },
    "translations": {"en": "Translations", "vi": "Bản dịch", "ru": "Переводы"},
    "score": {"en": "score", "vi": "điểm", "ru": "оценка"},
    "feedback": {
        "en": "Was the last answer helpful?",
        "vi": "Câu trả lời vừa rồi có hữu ích không?",
        "ru": "Был ли последний ответ полезен?",
    },
    "comment": {
        "en": "Comment (optional, sent with 👍/👎)",
        "vi": "Nhận xét (không bắt buộc, gửi kèm 👍/👎)",
        "ru": "Комментарий (необязательно, отправляется с 👍/👎)",
    },
    "helpful": {"en": "👍 Helpful", "vi": "👍 Hữu ích", "ru": "👍 Полезно"},
    "unhelpful": {"en": "👎 Not helpful", "vi": "👎 Không hữu ích", "ru": "👎 Бесполезно"},
    "feedback_saved": {
        "en": "Thank you: feedback saved.",
        "vi": "Cảm ơn bạn: đã lưu phản hồi.",
        "ru": "Спасибо: отзыв сохранён.",
    },
    "feedback_nothing": {
        "en": "Ask a question first: there is no answer to rate yet.",
        "vi": "Hãy đặt câu hỏi trước: chưa có câu trả lời để đánh giá.",
        "ru": "Сначала задайте вопрос: оценивать пока нечего.",
    },
    "notice_llm_unavailable": {
        "en": "The language model is unavailable: this answer quotes the relevant passages.",
        "vi": "Mô hình ngôn ngữ hiện không khả dụng: câu trả lời này trích các đoạn liên quan.",
        "ru": "Языковая модель недоступна: ответ цитирует подходящие фрагменты.",
    },
    "notice_abstained": {
        "en": "No article answers this question, so the assistant did not answer.",
        "vi": "Không bài viết nào trả lời câu hỏi này nên trợ lý không trả lời.",
        "ru": "Ни одна статья не отвечает на этот вопрос, поэтому ответа нет.",
    },
    "error_generic": {
        "en": "Sorry, something went wrong while answering. Please try again.",
        "vi": "Xin lỗi, đã xảy ra lỗi khi trả lời. Vui lòng thử lại.",
        "ru": "Извините, при ответе произошла ошибка. Попробуйте ещё раз.",
    },
    # documents tab
    "upload": {
        "en": "Add articles (.txt, .md, .html, .pdf, .docx, up to {mb} MB)",
        "vi": "Thêm bài viết (.txt, .md, .html, .pdf, .docx, tối đa {mb} MB)",
        "ru": "Добавить статьи (.txt, .md, .html, .pdf, .docx, до {mb} МБ)",
    },
    "ingest": {"en": "Add to the index", "vi": "Thêm vào chỉ mục", "ru": "Добавить в индекс"},
    "documents": {
        "en": "Indexed documents",
        "vi": "Tài liệu đã lập chỉ mục",
        "ru": "Проиндексированные документы",
    },
    "refresh": {"en": "Refresh", "vi": "Làm mới", "ru": "Обновить"},
    "doc_select": {"en": "Document", "vi": "Tài liệu", "ru": "Документ"},
    "view": {"en": "Show full text", "vi": "Xem toàn văn", "ru": "Показать текст"},
    "delete": {"en": "Delete from the index", "vi": "Xóa khỏi chỉ mục", "ru": "Удалить из индекса"},
    "doc_text": {"en": "Full text", "vi": "Toàn văn", "ru": "Полный текст"},
    "col_file": {"en": "file", "vi": "tệp", "ru": "файл"},
    "col_title": {"en": "title", "vi": "tiêu đề", "ru": "заголовок"},
    "col_language": {"en": "language", "vi": "ngôn ngữ", "ru": "язык"},
    "col_date": {"en": "date", "vi": "ngày", "ru": "дата"},
    "col_group": {"en": "translation group", "vi": "nhóm bản dịch", "ru": "группа переводов"},
    "col_chunks": {"en": "chunks", "vi": "đoạn", "ru": "фрагменты"},
    # eval tab
    "eval_run": {"en": "Run the evaluation", "vi": "Chạy đánh giá", "ru": "Запустить оценку"},
    "eval_intro": {
        "en": "Answers every question in eval/questions/*.jsonl and writes a report "
              "into the data folder's reports/.",
        "vi": "Trả lời mọi câu hỏi trong eval/questions/*.jsonl và ghi báo cáo vào "
              "thư mục reports/ của dữ liệu.",
        "ru": "Отвечает на все вопросы из eval/questions/*.jsonl и сохраняет отчёт "
              "в папку reports/ каталога данных.",
    },
    "eval_reports": {"en": "Reports", "vi": "Báo cáo", "ru": "Отчёты"},
    "eval_plots": {"en": "Plots", "vi": "Biểu đồ", "ru": "Графики"},
    "eval_details": {
        "en": "Questions and failures",
        "vi": "Các câu hỏi và lỗi",
        "ru": "Вопросы и ошибки",
    },
    "eval_unavailable": {
        "en": "The evaluation package is not available in this installation.",
        "vi": "Gói đánh giá không có trong bản cài đặt này.",
        "ru": "Пакет оценки в этой установке недоступен.",
    },
}


def ui_language(choice: str | None) -> str:
    """The interface language for a selector value: vi/ru/en; auto -> en."""
    return choice if choice in UI_LANGUAGES else "en"


def t(key: str, lang: str | None = "en", **kwargs: object) -> str:
    entry = LABELS[key]
    text = entry.get(ui_language(lang), entry["en"])
    return text.format(**kwargs) if kwargs else text
