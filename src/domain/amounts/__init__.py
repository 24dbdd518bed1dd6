"""What is owed: the law and its rates, late interest, the ledger, promises and plans."""
