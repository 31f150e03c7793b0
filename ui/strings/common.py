"""Strings shared by every page: header, language selector, tabs, errors."""

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "Newsroom Q&A", "vi": "Hỏi đáp tòa soạn", "ru": "Вопросы и ответы редакции"},
    "subtitle": {
        "en": "Ask about the news articles in Vietnamese, English or Russian. "
              "Every answer cites its sources.",
        "vi": "Đặt câu hỏi về các bài báo bằng tiếng Việt, tiếng Anh hoặc tiếng Nga. "
              "Mọi câu trả lời đều dẫn nguồn.",
        "ru": "Задавайте вопросы о новостных статьях на вьетнамском, английском или русском. "
              "Каждый ответ ссылается на источники.",
    },
    "mode": {"en": "Answer mode", "vi": "Chế độ trả lời", "ru": "Режим ответов"},
    "mode_offline": {"en": "Offline · quotes", "vi": "Ngoại tuyến · trích dẫn",
                     "ru": "Офлайн · цитаты"},
    "mode_llm": {"en": "AI model {model}", "vi": "Mô hình AI {model}", "ru": "Модель ИИ {model}"},
    "mode_offline_help": {
        "en": "Answers quote the articles word for word; no AI model is used.",
        "vi": "Câu trả lời trích nguyên văn các bài viết; không dùng mô hình AI.",
        "ru": "Ответы дословно цитируют статьи; модель ИИ не используется.",
    },
    "mode_llm_help": {
        "en": "Answers are written by an AI model from the quoted articles.",
        "vi": "Câu trả lời do mô hình AI viết dựa trên các bài viết được trích.",
        "ru": "Ответы пишет модель ИИ на основе цитируемых статей.",
    },
    "language": {
        "en": "Language (answers and interface)",
        "vi": "Ngôn ngữ (câu trả lời và giao diện)",
        "ru": "Язык (ответов и интерфейса)",
    },
    "lang_auto": {"en": "Auto", "vi": "Tự động", "ru": "Авто"},
    "tab_chat": {"en": "Chat", "vi": "Hỏi đáp", "ru": "Чат"},
    "tab_docs": {"en": "Documents", "vi": "Tài liệu", "ru": "Документы"},
    "tab_review": {"en": "Review", "vi": "Xem xét", "ru": "Проверка"},
    "tab_eval": {"en": "Quality check", "vi": "Kiểm tra chất lượng", "ru": "Проверка качества"},
    "language_name_vi": {"en": "Vietnamese", "vi": "Tiếng Việt", "ru": "Вьетнамский"},
    "language_name_en": {"en": "English", "vi": "Tiếng Anh", "ru": "Английский"},
    "language_name_ru": {"en": "Russian", "vi": "Tiếng Nga", "ru": "Русский"},
    "any_language": {"en": "All languages", "vi": "Mọi ngôn ngữ", "ru": "Все языки"},
    # errors and statuses
    "error_generic": {
        "en": "Sorry, something went wrong while answering. Please try again.",
        "vi": "Xin lỗi, đã xảy ra lỗi khi trả lời. Vui lòng thử lại.",
        "ru": "Извините, при ответе произошла ошибка. Попробуйте ещё раз.",
    },
    "error_internal": {
        "en": "Something went wrong; the details are in the server log.",
        "vi": "Đã xảy ra lỗi; chi tiết nằm trong nhật ký máy chủ.",
        "ru": "Что-то пошло не так; подробности в журнале сервера.",
    },
    "err_empty": {
        "en": "The question is empty: type a question in Vietnamese, English or Russian.",
        "vi": "Câu hỏi đang trống: hãy nhập câu hỏi bằng tiếng Việt, tiếng Anh hoặc tiếng Nga.",
        "ru": "Вопрос пустой: введите вопрос на вьетнамском, английском или русском.",
    },
    "err_no_words": {
        "en": "The question has no words: type a question in Vietnamese, English or Russian.",
        "vi": "Câu hỏi không có từ nào: hãy nhập câu hỏi bằng tiếng Việt, tiếng Anh hoặc tiếng Nga.",
        "ru": "В вопросе нет ни одного слова: введите вопрос на вьетнамском, английском или русском.",
    },
    "err_too_long": {
        "en": "The question is {n} characters long; the limit is {limit}. "
              "Shorten it to the question itself.",
        "vi": "Câu hỏi dài {n} ký tự; giới hạn là {limit}. Hãy rút gọn chỉ còn câu hỏi.",
        "ru": "Вопрос длиной {n} символов; предел — {limit}. Сократите его до самого вопроса.",
    },
    "err_index_empty": {
        "en": "There are no articles in the index yet: add some in the Documents tab.",
        "vi": "Chỉ mục chưa có bài viết nào: hãy thêm bài ở thẻ Tài liệu.",
        "ru": "В индексе пока нет статей: добавьте их на вкладке «Документы».",
    },
    "err_store": {
        "en": "The article store is not responding, so this could not be completed. "
              "Try again in a minute; if it keeps failing, tell the administrator.",
        "vi": "Kho bài viết không phản hồi nên không thể hoàn tất. Hãy thử lại sau một phút; "
              "nếu vẫn lỗi, hãy báo quản trị viên.",
        "ru": "Хранилище статей не отвечает, поэтому действие не выполнено. Повторите через "
              "минуту; если ошибка повторяется, сообщите администратору.",
    },
    "err_store_after_answer": {
        "en": "The answer above is complete, but the article store stopped responding "
              "afterwards: the sources may be incomplete.",
        "vi": "Câu trả lời ở trên đã đầy đủ, nhưng sau đó kho bài viết ngừng phản hồi: "
              "phần nguồn có thể chưa đủ.",
        "ru": "Ответ выше полный, но затем хранилище статей перестало отвечать: "
              "список источников может быть неполным.",
    },
    "err_after_answer": {
        "en": "The answer above is complete, but something failed afterwards: "
              "the sources may be incomplete.",
        "vi": "Câu trả lời ở trên đã đầy đủ, nhưng sau đó đã xảy ra lỗi: "
              "phần nguồn có thể chưa đủ.",
        "ru": "Ответ выше полный, но затем произошёл сбой: список источников может быть неполным.",
    },
    "err_llm": {
        "en": "The AI model could not be reached.",
        "vi": "Không kết nối được với mô hình AI.",
        "ru": "Не удалось связаться с моделью ИИ.",
    },
    "err_index_locked": {
        "en": "Another process is updating the index; try again when it has finished.",
        "vi": "Một tiến trình khác đang cập nhật chỉ mục; hãy thử lại khi nó xong.",
        "ru": "Индекс обновляет другой процесс; повторите, когда он закончит.",
    },
    "err_no_document": {
        "en": "That document is no longer in the index.",
        "vi": "Tài liệu này không còn trong chỉ mục.",
        "ru": "Этого документа больше нет в индексе.",
    },
    "err_read_only": {
        "en": "This server cannot change the index.",
        "vi": "Máy chủ này không thể thay đổi chỉ mục.",
        "ru": "Этот сервер не может изменять индекс.",
    },
    "err_scope_unsupported": {
        "en": "Limiting questions to documents or dates is not available on this server yet.",
        "vi": "Máy chủ này chưa hỗ trợ giới hạn câu hỏi theo tài liệu hoặc ngày.",
        "ru": "Ограничение вопросов документами или датами на этом сервере пока недоступно.",
    },
    "unit_documents": {"en": "documents", "vi": "tài liệu", "ru": "док."},
    "unit_questions": {"en": "questions", "vi": "câu hỏi", "ru": "вопр."},
    "saved_ok": {"en": "Saved.", "vi": "Đã lưu.", "ru": "Сохранено."},
    "sr_done": {"en": "Done", "vi": "Xong", "ru": "Готово"},
}
