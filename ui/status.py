"""The status bar: every remote register and every device the role works with (green / amber /
red, the reason on hover) and what waits in the outbox. Checks run in a worker every few
seconds; the bar only paints results."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from issuance.delivery import outbox
from issuance.queries import health
from issuance.queries.health import Health, Level
from ui.context import DeskContext
from ui.widgets import named
from ui.workers import Task

COLOURS = {Level.OK: "#2e7d32", Level.SLOW: "#f9a825", Level.DOWN: "#c62828"}
REFRESH_MS = 15_000


class DeskStatusBar(QStatusBar):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._task: Task | None = None
        self.labels: dict[str, QLabel] = {}
        assert desk.actor is not None
        self._role = desk.actor.role
        titles = self._titles()
        names = [
            *health.register_urls(desk.registers),
            *health.device_specs(desk.settings, self._role),
        ]
        for name in names:
            label = named(QLabel(f"● {titles.get(name, name)}"), f"status-{name}")
            label.setToolTip(self.tr("checking…"))
            self.labels[name] = label
            self.addPermanentWidget(label)
        self.backlog = named(QLabel(), "status-outbox")
        self.addPermanentWidget(self.backlog)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        QTimer.singleShot(0, self.refresh)

    def _titles(self) -> dict[str, str]:
        return {
            "voucher": self.tr("Coupons"),
            "fer": self.tr("Foreigners' register"),
            "civil-registry": self.tr("Civil registry"),
            "notification": self.tr("Notifications"),
            "camera": self.tr("Camera"),
            "fingerprint": self.tr("Fingerprint scanner"),
            "receipt-printer": self.tr("Receipt printer"),
            "card-printer": self.tr("Card printer"),
            "card-reader": self.tr("Card reader"),
        }

    def refresh(self) -> None:
        if self._task is not None:
            return
        ctx, registers, role = self._desk.ctx, self._desk.registers, self._role
        devices = ctx.devices

        def check() -> tuple[list[Health], outbox.Backlog]:
            checks = health.check_registers(registers)
            if devices is not None:
                checks += health.check_devices(devices, ctx.settings, role)
            return checks, outbox.backlog(ctx)

        self._task = self._desk.jobs.run(check, self._show, self._failed)

    def _show(self, result: tuple[list[Health], outbox.Backlog]) -> None:
        self._task = None
        checks, waiting = result
        for check in checks:
            label = self.labels[check.name]
            label.setStyleSheet(f"color: {COLOURS[check.level]}")
            label.setToolTip(check.reason(self._desk.language))
            label.setProperty("level", check.level.value)
        self.backlog.setText(
            self.tr("Outbox: {pending} waiting, {alerts} alerts").format(
                pending=waiting.pending, alerts=waiting.alerts
            )
        )

    def _failed(self, error: Exception) -> None:
        self._task = None
        self.showMessage(self._desk.message(error), 10_000)
