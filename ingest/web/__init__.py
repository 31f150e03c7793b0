"""Articles from the newsroom's website: fetch (polite, bounded, safe), extract
(trafilatura + htmldate), feeds and sitemaps (feedparser), and the run that
ingests only what is new or changed (sync). docs/web.md tells the whole story."""
