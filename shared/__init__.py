"""kefu's shared layer: settings, database, bus, knowledge base, models, conversations."""

__version__ = "0.1.0"
