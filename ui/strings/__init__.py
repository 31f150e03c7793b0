"""The interface's strings in Vietnamese, English and Russian, one module per page.

Each table maps a key to {"en": ..., "vi": ..., "ru": ...}; `ui.i18n` merges them
and `tests/ui` checks that every key has all three languages."""
