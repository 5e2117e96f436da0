"""The supervisor's screens: open batches, the batch table with thumbnails, decisions; and
the delivery alerts (also an administrator's)."""

from ui.supervisor.alerts import AlertsPanel
from ui.supervisor.batch_home import BatchHome

__all__ = ["AlertsPanel", "BatchHome"]
