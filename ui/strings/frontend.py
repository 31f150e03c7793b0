"""Strings that Gradio's own page code writes in English: the upload box, the
chat buttons, the login form, notifications and upload errors. The page script
(ui.assets) swaps them for the interface language, exactly (TEXTS) or by pattern
(PATTERNS, for messages with file names in them). Gradio's own translations do
not cover Vietnamese and are fixed when a component is first drawn, so the
script does this for every language, after every change to the page."""

TEXTS: dict[str, dict[str, str]] = {
    "Drop File Here": {"vi": "Thả tệp vào đây", "ru": "Перетащите файл сюда"},
    "- or -": {"vi": "- hoặc -", "ru": "- или -"},
    "or": {"vi": "hoặc", "ru": "или"},
    "Click to Upload": {"vi": "Nhấn để tải lên", "ru": "Нажмите, чтобы загрузить"},
    "Uploading...": {"vi": "Đang tải lên...", "ru": "Загрузка..."},
    "Like": {"vi": "Thích", "ru": "Нравится"},
    "Dislike": {"vi": "Không thích", "ru": "Не нравится"},
    "Scroll down": {"vi": "Cuộn xuống", "ru": "Прокрутить вниз"},
    "Liked": {"vi": "Đã thích", "ru": "Понравилось"},
    "Disliked": {"vi": "Đã không thích", "ru": "Не понравилось"},
    "Copy message": {"vi": "Sao chép tin nhắn", "ru": "Копировать сообщение"},
    "Copied message": {"vi": "Đã sao chép tin nhắn", "ru": "Сообщение скопировано"},
    "Copy conversation": {"vi": "Sao chép hội thoại", "ru": "Копировать диалог"},
    "Copy": {"vi": "Sao chép", "ru": "Копировать"},
    "Copied": {"vi": "Đã sao chép", "ru": "Скопировано"},
    "Copy all": {"vi": "Sao chép tất cả", "ru": "Копировать всё"},
    "Clear": {"vi": "Xóa", "ru": "Очистить"},
    "Retry": {"vi": "Thử lại", "ru": "Повторить"},
    "Undo": {"vi": "Hoàn tác", "ru": "Отменить"},
    "Edit": {"vi": "Sửa", "ru": "Редактировать"},
    "Submit": {"vi": "Gửi", "ru": "Отправить"},
    "Cancel": {"vi": "Hủy", "ru": "Отмена"},
    "Complete": {"vi": "Hoàn tất", "ru": "Готово"},
    "common.complete": {"vi": "Hoàn tất", "ru": "Готово", "en": "Complete"},
    "chatbot.complete": {"vi": "Hoàn tất", "ru": "Готово", "en": "Complete"},
    "Login": {"vi": "Đăng nhập", "ru": "Войти"},
    "username": {"en": "User name", "vi": "Tên đăng nhập", "ru": "Имя пользователя"},
    "password": {"en": "Password", "vi": "Mật khẩu", "ru": "Пароль"},
    "Incorrect Credentials": {"vi": "Sai tên đăng nhập hoặc mật khẩu",
                              "ru": "Неверное имя пользователя или пароль"},
    "Loading": {"vi": "Đang tải", "ru": "Загрузка"},
    "Loading...": {"vi": "Đang tải...", "ru": "Загрузка..."},
    "processing": {"vi": "đang xử lý", "ru": "обработка"},
    "Error": {"vi": "Lỗi", "ru": "Ошибка"},
    "Warning": {"vi": "Cảnh báo", "ru": "Предупреждение"},
    "Info": {"vi": "Thông báo", "ru": "Сообщение"},
    "Success": {"vi": "Thành công", "ru": "Готово"},
    "Close": {"vi": "Đóng", "ru": "Закрыть"},
    "Download": {"vi": "Tải về", "ru": "Скачать"},
    "Remove": {"vi": "Gỡ bỏ", "ru": "Удалить"},
    "Empty": {"vi": "Trống", "ru": "Пусто"},
    "Settings": {"vi": "Cài đặt", "ru": "Настройки"},
    "Fullscreen": {"vi": "Toàn màn hình", "ru": "Во весь экран"},
    "Exit fullscreen mode": {"vi": "Thoát toàn màn hình", "ru": "Выйти из полноэкранного режима"},
    "chatbot conversation": {"vi": "Hội thoại với trợ lý", "ru": "Диалог с ассистентом"},
    "Click to upload or drop files": {"vi": "Nhấn để tải lên hoặc thả tệp vào đây",
                                      "ru": "Нажмите, чтобы загрузить, или перетащите файлы"},
    "More tabs": {"vi": "Thêm thẻ", "ru": "Другие вкладки"},
    "Toggle Sidebar": {"vi": "Ẩn/hiện thanh bên", "ru": "Показать/скрыть панель"},
    "Open Sidebar": {"vi": "Mở thanh bên", "ru": "Открыть панель"},
    "Close Sidebar": {"vi": "Đóng thanh bên", "ru": "Закрыть панель"},
    "Waiting for file(s) to finish uploading, please retry.": {
        "vi": "Đang chờ tải tệp lên xong, vui lòng thử lại.",
        "ru": "Дождитесь окончания загрузки файлов и повторите.",
    },
    "Connection errored out.": {"vi": "Mất kết nối.", "ru": "Соединение прервано."},
    "Lost connection due to leaving page. Rejoining queue...": {
        "vi": "Mất kết nối do rời trang. Đang vào lại hàng đợi...",
        "ru": "Соединение потеряно. Возвращение в очередь...",
    },
}

# (regular expression over the whole English message, {language: replacement}); the
# replacement may use \1, \2 for the groups (file names, sizes). "." matches newlines.
PATTERNS: list[tuple[str, dict[str, str]]] = [
    (r"^Invalid file types?: (.+?)\. Only (.+) allowed\.$",
     {"en": r"This type of file cannot be added: \1. Use \2.",
      "vi": r"Không thể thêm loại tệp này: \1. Chỉ nhận \2.",
      "ru": r"Такой тип файла добавить нельзя: \1. Допустимы только \2."}),
    # Gradio writes "10.0 Mb": the limit is written again from the settings ({mb})
    (r"^File\(s\) exceed the maximum allowed size of (.+?): (.+)$",
     {"en": r"Too large to add: \2. Each file can be up to {mb} MB.",
      "vi": r"Tệp quá lớn: \2. Mỗi tệp tối đa {mb} MB.",
      "ru": r"Слишком большой файл: \2. Каждый файл — не больше {mb} МБ."}),
    (r"^In queue: (\d+) of (\d+)$", {"vi": r"Trong hàng đợi: \1/\2", "ru": r"В очереди: \1 из \2"}),
    # Gradio's progress over a component: "queue: 1/2 |", "processing |"
    (r"^queue: (\d+)/(\d*) \|$", {"vi": r"hàng đợi: \1/\2 |", "ru": r"очередь: \1/\2 |"}),
    (r"^processing \|$", {"vi": "đang xử lý |", "ru": "обработка |"}),
    (r"^Select example (\d+): (.*)$", {"vi": r"Chọn câu hỏi mẫu \1: \2",
                                        "ru": r"Выбрать пример \1: \2"}),
    (r"^bot's message: (.*)$", {"vi": r"Tin nhắn của trợ lý: \1",
                                "ru": r"Сообщение ассистента: \1"}),
    (r"^user's message: (.*)$", {"vi": r"Tin nhắn của bạn: \1", "ru": r"Ваше сообщение: \1"}),
    (r"^Remove (.+)$", {"vi": r"Gỡ \1", "ru": r"Убрать \1"}),
]
