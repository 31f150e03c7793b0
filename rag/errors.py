"""A small error hierarchy. Every message says what went wrong and what to do."""


class RagError(Exception):
    """Base class: the CLI prints the message on one line and exits 1.

    `code` names the error for interfaces that show it in another language;
    `params` holds the figures its message quotes."""

    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None, **params: object):
        super().__init__(message)
        if code:
            self.code = code
        self.params = params


class ConfigError(RagError):
    """Settings are missing or inconsistent."""

    code = "config"


class IndexNotBuiltError(RagError):
    """The index is empty or missing."""

    code = "index_empty"


class EmbedderMismatchError(RagError):
    """The index was built with another embedder."""

    code = "embedder_mismatch"


class IndexCorruptError(RagError):
    """The stored index cannot be read."""

    code = "index_corrupt"


class IndexLockedError(RagError):
    """Another process is writing the index."""

    code = "index_locked"


class InvalidQuestionError(RagError):
    """The question is empty, too long, or otherwise unusable."""

    code = "invalid_question"


class DocumentError(RagError):
    """A document could not be read or stored."""

    code = "document"


class WebError(DocumentError):
    """A web page, feed or sitemap could not be fetched or read. Its message
    names the address; `code` (web_*) and `params` let the UI say it in the
    reader's language."""

    code = "web"


class ProviderError(RagError):
    """An LLM, embedding or Chroma server failed or could not be reached."""

    code = "provider"


class StoreUnavailableError(ProviderError):
    """The Chroma server could not be reached."""

    code = "store_unavailable"


class StateUnavailableError(RagError):
    """The app-state database (accounts, conversations, feedback) cannot be used."""

    code = "state_unavailable"
