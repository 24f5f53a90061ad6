"""Database layer: Piccolo tables, engines, migrations."""
