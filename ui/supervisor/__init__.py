"""The supervisor's screen: open batches, the batch table with thumbnails, decisions."""

from ui.supervisor.batch_home import BatchHome

__all__ = ["BatchHome"]
