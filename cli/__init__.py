"""The composition layer: the typer CLI (`rag …`) and its terminal renderers.

It is the only place that wires the packages together: it builds the core
engine with its ingestor (`cli.wiring`), hands it to the Gradio UI and the eval
runner, and renders their results. Nothing below imports from here."""
