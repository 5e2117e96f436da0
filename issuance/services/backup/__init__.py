"""Backup and restore of an office's data: ``backing_up.back_up`` and ``restoring.restore``
(see the README, "Backup and restore")."""
