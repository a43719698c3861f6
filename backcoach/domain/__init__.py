"""Pure domain code: program model, history records, rules engine, trends.

Nothing here imports Textual or SQLAlchemy, reads the clock, or touches files.
"""
