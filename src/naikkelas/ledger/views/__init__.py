"""The owner's cash book pages: the book itself (views.book) and its summaries with charts (views.summary).
Every page goes through ledger/access.py (the business's owner only) and reads the business's own calendar."""
