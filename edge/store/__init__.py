from edge.store.db import Store, Tx

__all__ = ["Store", "Tx"]
