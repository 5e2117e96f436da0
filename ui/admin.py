"""Administration: operators (add, unlock, reset password), offices and desks, and the device
and service settings of this desk, each with a "Test" button that asks the real thing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from issuance.config import EDITABLE, Settings
from issuance.delivery.clients import ServiceConfig
from issuance.queries import admin as admin_queries
from issuance.queries.admin import CheckResult, OfficeView
from issuance.security.permissions import OPERATOR_ROLES, ROLE_NAMES, Actor
from issuance.services import desk_settings, offices, operators
from issuance.services.operators import NewOperator, OperatorView
from issuance.wall_clock import local_time
from ui.context import DeskContext
from ui.tables import TextModel, table_view
from ui.widgets import named
from ui.workers import Task

DESK_KINDS = ("enrolment", "card_station")


def _message_label(name: str) -> QLabel:
    label = named(QLabel(wordWrap=True), name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _Panel(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs

    @property
    def actor(self) -> Actor:
        assert self.desk.actor is not None
        return self.desk.actor


# -- operators ----------------------------------------------------------------------------


class OperatorsTab(_Panel):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.operators: list[OperatorView] = []
        self.model = TextModel(
            [self.tr("Username"), self.tr("Full name"), self.tr("Role"), self.tr("Office"),
             self.tr("Active"), self.tr("Locked until")],
            self,
        )  # fmt: skip
        self.table = table_view("operators", self.model)
        self.message = _message_label("operators-message")

        self.username = named(QLineEdit(), "new-username")
        self.full_name = named(QLineEdit(), "new-full-name")
        self.role = named(QComboBox(), "new-role")
        for role in OPERATOR_ROLES:
            self.role.addItem(self._role_name(role), role.value)
        self.office = named(QComboBox(), "new-office")
        self.password = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "new-password")
        self.password_again = named(
            QLineEdit(echoMode=QLineEdit.EchoMode.Password), "new-password-again"
        )
        self.add_button = named(QPushButton(self.tr("&Add operator")), "add-operator")
        add_box = QGroupBox(self.tr("New operator"))
        form = QFormLayout(add_box)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Office"), self.office)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.password_again)
        form.addRow(self.add_button)

        self.unlock_button = named(QPushButton(self.tr("&Unlock selected")), "unlock")
        self.reset_password = named(
            QLineEdit(echoMode=QLineEdit.EchoMode.Password), "reset-password"
        )
        self.reset_password_again = named(
            QLineEdit(echoMode=QLineEdit.EchoMode.Password), "reset-password-again"
        )
        self.reset_button = named(QPushButton(self.tr("Reset &password")), "reset")
        selected_box = QGroupBox(self.tr("Selected operator"))
        selected = QFormLayout(selected_box)
        selected.addRow(self.unlock_button)
        selected.addRow(self.tr("New password"), self.reset_password)
        selected.addRow(self.tr("New password again"), self.reset_password_again)
        selected.addRow(self.reset_button)

        forms = QHBoxLayout()
        forms.addWidget(add_box, 1)
        forms.addWidget(selected_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_operator)
        self.password_again.returnPressed.connect(self.add_operator)
        self.unlock_button.clicked.connect(self.unlock)
        self.reset_button.clicked.connect(self.reset)
        self.reset_password_again.returnPressed.connect(self.reset)
        QTimer.singleShot(0, self.refresh)

    def _role_name(self, role: Any) -> str:
        return ROLE_NAMES[role][0 if self.desk.language == "sq" else 1]

    def refresh(self) -> None:
        ctx, actor = self.desk.ctx, self.actor
        self.model.begin_loading()
        self.jobs.run(lambda: operators.list_operators(ctx, actor), self._listed, self._failed)

    def _listed(self, views: list[OperatorView]) -> None:
        selected = self.selected_username()
        self.operators = list(views)
        self.model.set_texts(
            [
                (
                    v.username, v.full_name, self._role_name(v.role), v.office_code or "—",
                    self.tr("yes") if v.active else self.tr("no"),
                    f"{local_time(v.locked_until):%d.%m.%Y %H:%M}" if v.locked_until else "",
                )
                for v in views
            ]
        )  # fmt: skip
        for n, view in enumerate(views):
            if view.username == selected:
                self.table.selectRow(n)

    def set_offices(self, office_list: list[OfficeView]) -> None:
        current = self.office.currentData()
        self.office.clear()
        self.office.addItem(self.tr("(none)"), "")
        for office in office_list:
            self.office.addItem(f"{office.code} — {office.name}", office.code)
        index = self.office.findData(current)
        self.office.setCurrentIndex(max(index, 0))

    def selected_username(self) -> str | None:
        index = self.table.currentIndex()
        return self.operators[index.row()].username if index.isValid() else None

    def add_operator(self) -> None:
        password = self.password.text()
        if password != self.password_again.text():
            self.message.setText(self.tr("The two passwords are not the same."))
            return
        ctx, actor = self.desk.ctx, self.actor
        username, full_name = self.username.text().strip(), self.full_name.text().strip()
        role, office_code = self.role.currentData(), self.office.currentData() or None
        self.add_button.setEnabled(False)
        self.message.setText(self.tr("Adding…"))
        # argon2 hashing: never on the GUI thread.
        self.jobs.run(
            lambda: operators.add_operator(
                ctx, actor, username=username, full_name=full_name, role=role,
                password=password, office_code=office_code,
            ),
            self._added,
            self._add_failed,
        )  # fmt: skip

    def _added(self, new: NewOperator) -> None:
        self.add_button.setEnabled(True)
        for field in (self.username, self.full_name, self.password, self.password_again):
            field.clear()
        text = self.tr("Operator {username} added.").format(username=new.username)
        if new.totp_secret:
            text += " " + self.tr(
                "Second-factor secret (shown only now): {secret}"
            ).format(secret=new.totp_secret)  # fmt: skip
        self.message.setText(text)
        self.refresh()

    def _add_failed(self, error: Exception) -> None:
        self.add_button.setEnabled(True)
        self.password.clear()
        self.password_again.clear()
        self._failed(error)

    def unlock(self) -> None:
        username = self.selected_username()
        if username is None:
            self.message.setText(self.tr("Select an operator first."))
            return
        ctx, actor = self.desk.ctx, self.actor

        def unlock() -> str:
            operators.unlock(ctx, actor, username)
            return username

        self.jobs.run(unlock, self._unlocked, self._failed)

    def _unlocked(self, username: str) -> None:
        self.message.setText(self.tr("Operator {username} unlocked.").format(username=username))
        self.refresh()

    def reset(self) -> None:
        username = self.selected_username()
        if username is None:
            self.message.setText(self.tr("Select an operator first."))
            return
        password = self.reset_password.text()
        if password != self.reset_password_again.text():
            self.message.setText(self.tr("The two passwords are not the same."))
            return
        ctx, actor = self.desk.ctx, self.actor
        self.reset_button.setEnabled(False)

        def reset() -> str:
            operators.reset_password(ctx, actor, username, password)
            return username

        self.jobs.run(reset, self._reset_done, self._reset_failed)

    def _reset_done(self, username: str) -> None:
        self.reset_button.setEnabled(True)
        self.reset_password.clear()
        self.reset_password_again.clear()
        self.message.setText(self.tr("Password of {username} reset.").format(username=username))
        self.refresh()

    def _reset_failed(self, error: Exception) -> None:
        self.reset_button.setEnabled(True)
        self._failed(error)

    def _failed(self, error: Exception) -> None:
        self.model.end_loading()
        self.message.setText(self.desk.message(error))


# -- offices and desks ----------------------------------------------------------------------


class OfficesTab(_Panel):
    def __init__(
        self,
        desk: DeskContext,
        on_offices: Callable[[list[OfficeView]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desk, parent)
        self._on_offices = on_offices
        self.offices: list[OfficeView] = []
        self.model = TextModel(
            [self.tr("Office"), self.tr("Name"), self.tr("City"), self.tr("Desk"),
             self.tr("Kind")],
            self,
        )  # fmt: skip
        self.table = table_view("offices", self.model)
        self.message = _message_label("offices-message")

        self.code = named(QLineEdit(maxLength=2), "office-code")
        self.name = named(QLineEdit(), "office-name")
        self.city = named(QLineEdit(), "office-city")
        self.add_office_button = named(QPushButton(self.tr("Add o&ffice")), "add-office")
        office_box = QGroupBox(self.tr("New office"))
        office_form = QFormLayout(office_box)
        office_form.addRow(self.tr("Code (2 characters)"), self.code)
        office_form.addRow(self.tr("Name"), self.name)
        office_form.addRow(self.tr("City"), self.city)
        office_form.addRow(self.add_office_button)

        self.desk_office = named(QComboBox(), "desk-office")
        self.desk_name = named(QLineEdit(), "desk-name")
        self.desk_kind = named(QComboBox(), "desk-kind")
        self.desk_kind.addItem(self.tr("Enrolment desk"), "enrolment")
        self.desk_kind.addItem(self.tr("Card station"), "card_station")
        self.add_desk_button = named(QPushButton(self.tr("Add &desk")), "add-desk")
        desk_box = QGroupBox(self.tr("New desk"))
        desk_form = QFormLayout(desk_box)
        desk_form.addRow(self.tr("Office"), self.desk_office)
        desk_form.addRow(self.tr("Name"), self.desk_name)
        desk_form.addRow(self.tr("Kind"), self.desk_kind)
        desk_form.addRow(self.add_desk_button)

        forms = QHBoxLayout()
        forms.addWidget(office_box, 1)
        forms.addWidget(desk_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        layout.addWidget(self.message)
        self.add_office_button.clicked.connect(self.add_office)
        self.city.returnPressed.connect(self.add_office)
        self.add_desk_button.clicked.connect(self.add_desk)
        self.desk_name.returnPressed.connect(self.add_desk)
        QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        ctx, actor = self.desk.ctx, self.actor
        self.model.begin_loading()
        self.jobs.run(lambda: admin_queries.list_offices(ctx, actor), self._listed, self._failed)

    def _listed(self, office_list: list[OfficeView]) -> None:
        self.offices = list(office_list)
        kinds = {"enrolment": self.tr("Enrolment desk"), "card_station": self.tr("Card station")}
        texts: list[tuple[str, ...]] = []
        for office in office_list:
            if not office.desks:
                texts.append((office.code, office.name, office.city, "", ""))
            for desk in office.desks:
                texts.append(
                    (office.code, office.name, office.city, desk.name, kinds.get(desk.kind, ""))
                )
        self.model.set_texts(texts)
        current = self.desk_office.currentData()
        self.desk_office.clear()
        for office in office_list:
            self.desk_office.addItem(f"{office.code} — {office.name}", office.code)
        self.desk_office.setCurrentIndex(max(self.desk_office.findData(current), 0))
        if self._on_offices is not None:
            self._on_offices(self.offices)

    def add_office(self) -> None:
        ctx, actor = self.desk.ctx, self.actor
        code, name = self.code.text().strip(), self.name.text().strip()
        city = self.city.text().strip()

        def add() -> str:
            offices.add_office(ctx, actor, code=code, name=name, city=city)
            return code

        self.jobs.run(add, self._office_added, self._failed)

    def _office_added(self, code: str) -> None:
        for field in (self.code, self.name, self.city):
            field.clear()
        self.message.setText(self.tr("Office {code} added.").format(code=code))
        self.refresh()

    def add_desk(self) -> None:
        office_code = self.desk_office.currentData()
        if not office_code:
            self.message.setText(self.tr("Add an office first."))
            return
        ctx, actor = self.desk.ctx, self.actor
        name, kind = self.desk_name.text().strip(), self.desk_kind.currentData()

        def add() -> str:
            offices.add_desk(ctx, actor, office_code=office_code, name=name, kind=kind)
            return name

        self.jobs.run(add, self._desk_added, self._failed)

    def _desk_added(self, name: str) -> None:
        self.desk_name.clear()
        self.message.setText(self.tr("Desk {name} added.").format(name=name))
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.model.end_loading()
        self.message.setText(self.desk.message(error))


# -- devices and services -------------------------------------------------------------------


class CheckRow(QObject):
    """One setting: its field, its Test button (which tries what the field says now, saved or
    not) and the answer; the check runs in a worker and reports here."""

    def __init__(
        self,
        desk: DeskContext,
        key: str,
        value: str,
        check: Callable[[str], CheckResult],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._desk, self._check = desk, check
        self._task: Task | None = None
        self.field = named(QLineEdit(value), f"setting-{key}")
        self.button = named(QPushButton(self.tr("Test")), f"test-{key}")
        self.result = _message_label(f"result-{key}")
        self.button.clicked.connect(self.run)

    def run(self) -> None:
        if self._task is not None:
            return
        value, check = self.field.text().strip(), self._check  # read here, on the GUI thread
        self.button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Testing…"))
        self._task = self._desk.jobs.run(lambda: check(value), self._done, self._failed)

    def _done(self, result: CheckResult) -> None:
        self._task = None
        self.button.setEnabled(True)
        self.result.setProperty("ok", result.ok)
        self.result.setStyleSheet("color: #2e7d32" if result.ok else "color: #c62828")
        prefix = self.tr("OK") if result.ok else self.tr("Not working")
        self.result.setText(f"{prefix}: {result.message(self._desk.language)}")

    def _failed(self, error: Exception) -> None:
        self._task = None
        self.button.setEnabled(True)
        self.result.setProperty("ok", False)
        self.result.setStyleSheet("color: #c62828")
        self.result.setText(f"{self.tr('Not working')}: {self._desk.message(error)}")


class DevicesTab(_Panel):
    """This desk's devices and register addresses: change, test, save."""

    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        settings, registers, actor = desk.settings, desk.registers, self.actor
        devices = desk.devices

        def register_check(config: ServiceConfig, name: str) -> Callable[[str], CheckResult]:
            # The address under test, with the client's timeouts, key and TLS settings.
            return lambda url: admin_queries.check_register(
                actor, dataclasses.replace(config, base_url=url), name
            )

        # key: (title, setting it changes, value shown, check)
        rows: dict[str, tuple[str, str, str, Callable[[str], CheckResult]]] = {
            "camera": (self.tr("Camera"), "camera", settings.camera,
                       lambda v: admin_queries.check_camera(devices, actor, v)),
            "fingerprint": (self.tr("Fingerprint scanner"), "fingerprint_scanner",
                            settings.fingerprint_scanner,
                            lambda v: admin_queries.check_fingerprint_scanner(devices, actor, v)),
            "card-reader": (self.tr("Card reader"), "card_reader", settings.card_reader,
                            lambda v: admin_queries.check_card_reader(devices, actor, v)),
            "card-printer": (self.tr("Card printer"), "card_printer", settings.card_printer_spec,
                             lambda v: admin_queries.check_card_printer(devices, actor, v)),
            "receipt-printer": (self.tr("Receipt printer (A4)"), "receipt_printer",
                                settings.receipt_printer_spec,
                                lambda v: admin_queries.check_card_printer(devices, actor, v)),
            "voucher": (self.tr("Post-office vouchers"), "voucher_url",
                        registers.vouchers.config.base_url,
                        register_check(registers.vouchers.config, "voucher")),
            "fer": (self.tr("Foreigners' register (FER)"), "fer_url",
                    registers.fer.config.base_url, register_check(registers.fer.config, "fer")),
            "civil-registry": (self.tr("Civil registry"), "civil_registry_url",
                               registers.civil_registry.config.base_url,
                               register_check(registers.civil_registry.config, "civil-registry")),
            "notification": (self.tr("Notifications (SMS, e-mail)"), "notification_url",
                             registers.notifications.config.base_url,
                             register_check(registers.notifications.config, "notification")),
        }  # fmt: skip
        fixed = desk_settings.fixed_by_environment()
        grid = QGridLayout()
        self.checks: dict[str, CheckRow] = {}
        self._setting_of: dict[str, str] = {}
        for n, (key, (title, setting, value, check)) in enumerate(rows.items()):
            row = CheckRow(desk, key, value, check, self)
            if setting in fixed:
                row.field.setReadOnly(True)
                row.field.setToolTip(
                    self.tr("Set by the environment ({variable})").format(
                        variable=EDITABLE[setting]
                    )
                )
            self.checks[key] = row
            self._setting_of[key] = setting
            label = QLabel(title)
            label.setBuddy(row.field)
            grid.addWidget(label, n, 0)
            grid.addWidget(row.field, n, 1)
            grid.addWidget(row.button, n, 2)
            grid.addWidget(row.result, n, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        self.save_button = named(QPushButton(self.tr("&Save settings")), "save-settings")
        self.save_button.clicked.connect(self.save)
        self.message = _message_label("settings-message")
        note = QLabel(
            self.tr(
                "Devices use saved settings at once; register addresses when the desk starts "
                "again. Settings fixed by the environment are changed there."
            ),
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.message, 1)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addStretch(1)
        chain = [w for row in self.checks.values() for w in (row.field, row.button)]
        chain.append(self.save_button)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def changes(self) -> dict[str, str]:
        """What the fields say differently from the settings the desk runs with."""
        settings = self.desk.settings
        shown = {
            "card_printer": settings.card_printer_spec,
            "receipt_printer": settings.receipt_printer_spec,
        }
        out = {}
        for key, row in self.checks.items():
            setting = self._setting_of[key]
            if row.field.isReadOnly():
                continue
            value = row.field.text().strip()
            if value != shown.get(setting, getattr(settings, setting)):
                out[setting] = value
        return out

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Nothing to save."))
            return
        ctx, actor = self.desk.ctx, self.actor
        self.save_button.setEnabled(False)
        self.jobs.run(lambda: desk_settings.change(ctx, actor, changes), self._saved, self._refused)

    def _saved(self, settings: Settings) -> None:
        self.desk.ctx.settings = settings
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #2e7d32")
        self.message.setText(self.tr("Settings saved."))

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #c62828")
        self.message.setText(self.desk.message(error))


class AdminPanel(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tabs = named(QTabWidget(), "admin-tabs")
        self.operators = OperatorsTab(desk, self)
        self.offices = OfficesTab(desk, self.operators.set_offices, self)
        self.devices = DevicesTab(desk, self)
        self.tabs.addTab(self.operators, self.tr("&Operators"))
        self.tabs.addTab(self.offices, self.tr("Offices and &desks"))
        self.tabs.addTab(self.devices, self.tr("De&vices and services"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
