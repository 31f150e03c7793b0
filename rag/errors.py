"""A small error hierarchy. Every message says what went wrong and what to do."""


class RagError(Exception):
    """Base class: the CLI prints the message on one line and exits 1."""


class ConfigError(RagError):
    """Settings are missing or inconsistent."""


class IndexNotBuiltError(RagError):
    """The index is empty or missing."""


class EmbedderMismatchError(RagError):
    """The index was built with another embedder."""


class IndexCorruptError(RagError):
    """The stored index cannot be read."""


class IndexLockedError(RagError):
    """Another process is writing the index."""


class InvalidQuestionError(RagError):
    """The question is empty, too long, or otherwise unusable."""


class DocumentError(RagError):
    """A document could not be read or stored."""


class ProviderError(RagError):
    """An LLM, embedding or Chroma server failed or could not be reached."""


class StoreUnavailableError(ProviderError):
    """The Chroma server could not be reached."""
