"""Search for everyone: one box (NID, document number, permit, passport, or a name without
diacritics), results as you type, and the history of the chosen application (read-only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from issuance.labels import in_language
from issuance.queries import search
from issuance.queries.search import Hit
from issuance.security import audit
from issuance.security.permissions import ROLE_NAMES, Role, UseCase, is_allowed
from issuance.services import card_lifecycle, cards, enrolment
from issuance.wall_clock import local_time
from ui.context import DeskContext
from ui.revoke_card import RevokeCardDialog
from ui.supervisor.models import state_name
from ui.tables import TextModel, table_view
from ui.widgets import named

DEBOUNCE_MS = 250


class SearchResultsModel(TextModel):
    def __init__(self, desk: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(
            [self.tr("Application"), self.tr("Surname"), self.tr("Given names"),
             self.tr("Personal number"), self.tr("State")],
            parent,
        )  # fmt: skip
        self._desk = desk
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.hits = list(hits)
        self.set_texts(
            [
                (
                    h.number,
                    h.surname,
                    h.given_names,
                    h.nid or "",
                    state_name(h.state, self._desk.language),
                )
                for h in hits
            ]  # fmt: skip
        )


class HistoryModel(TextModel):
    """The audit trail in the operator's words: actions, states and fingers by their names."""

    def __init__(self, desk: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(
            [self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Details")], parent
        )
        self._desk = desk

    def set_events(self, events: list[audit.TrailEntry]) -> None:
        language = self._desk.language
        self.set_texts(
            [
                (
                    f"{local_time(e.at):%d.%m.%Y %H:%M:%S}",
                    e.actor,
                    audit.action_name(e.action, language),
                    self.details(e.details),
                )
                for e in events
            ]
        )

    def details(self, details: dict[str, Any]) -> str:
        language = self._desk.language
        d = dict(details)
        parts: list[str] = []
        if "from" in d and "to" in d:
            old, new = state_name(d.pop("from"), language), state_name(d.pop("to"), language)
            parts.append(self.tr("from «{old}» to «{new}»").format(old=old, new=new))
        if "position" in d:
            d.pop("kind", None)
            parts.append(enrolment.position_name(str(d.pop("position")), language))
        if "number" in d:
            parts.append(self.tr("application {number}").format(number=d.pop("number")))
        if "card_type" in d:
            card_type = str(d.pop("card_type"))
            parts.append(self.tr("card type: {type}").format(
                type=enrolment.card_type_name(card_type, language)))  # fmt: skip
        if "coupon" in d:
            coupon = d.pop("coupon")
            parts.append(self.tr("coupon {code}").format(code=coupon) if coupon
                         else self.tr("no coupon"))  # fmt: skip
        if "age" in d and "below" in d:
            d.pop("on", None)
            parts.append(self.tr("age {age}, under {below}").format(
                age=d.pop("age"), below=d.pop("below")))  # fmt: skip
        d.pop("draft", None)  # whether a draft was cancelled: the states say it already
        if "mobile" in d:
            parts.append(self.tr("mobile number given") if d.pop("mobile")
                         else self.tr("no mobile number"))  # fmt: skip
        if "email" in d:
            parts.append(self.tr("e-mail given") if d.pop("email") else self.tr("no e-mail"))
        if "quality" in d:
            quality = d.pop("quality")
            if quality is not None:
                parts.append(self.tr("quality {quality}").format(quality=quality))
        if "exception" in d and d.pop("exception"):
            parts.append(self.tr("recorded as an exception"))
        if "cannot_sign" in d:
            parts.append(self.tr("the applicant cannot sign") if d.pop("cannot_sign")
                         else self.tr("signed"))  # fmt: skip
        if "document" in d:
            parts.append(self.tr("document no. {id}").format(id=d.pop("document")))
        if "bytes" in d:
            parts.append(self.tr("{kb} KB").format(kb=max(1, round(int(d.pop("bytes")) / 1024))))
        if "card" in d:
            parts.append(self.tr("card no. {id}").format(id=d.pop("card")))
        if "document_number" in d:
            parts.append(self.tr("document number {number}").format(
                number=d.pop("document_number")))  # fmt: skip
        if "apdus" in d:
            apdus = d.pop("apdus")
            if apdus is not None:
                parts.append(self.tr("{n} chip commands").format(n=apdus))
        if "nid" in d:
            parts.append(self.tr("personal number {nid}").format(nid=d.pop("nid")))
        if "created" in d:
            parts.append(self.tr("new in the civil registry") if d.pop("created")
                         else self.tr("already in the civil registry"))  # fmt: skip
        if "username" in d:
            parts.append(self.tr("operator {username}").format(username=d.pop("username")))
        if "role" in d:
            role = str(d.pop("role"))
            code = Role(role) if role in Role.__members__.values() else None
            parts.append(in_language(ROLE_NAMES, code, language, default=role))
        if "code" in d:
            parts.append(self.tr("office {code}").format(code=d.pop("code")))
        if "name" in d:
            parts.append(self.tr("desk {name}").format(name=d.pop("name")))
        if "after" in d:
            d.pop("before", None)
            changed = d.pop("after")
            parts.append(self.tr("%n setting(s) changed", "", len(changed or {})))
        if "topic" in d:
            parts.append(self.tr("message {topic}").format(topic=d.pop("topic")))
        if "problem" in d:
            parts.append(self.tr("problem: {problem}").format(problem=d.pop("problem")))
        if "reason" in d:
            parts.append(self.tr("reason: {reason}").format(reason=d.pop("reason")))
        if d.pop("by_other_means", False):
            parts.append(self.tr("confirmed with the registry by a supervisor"))
        if "alert" in d:
            parts.append(self.tr("alert no. {id}").format(id=d.pop("alert")))
        if "note" in d:
            parts.append(self.tr("note: {note}").format(note=d.pop("note")))
        if "privacy_notice" in d:
            parts.append(self.tr("privacy notice of {version}").format(
                version=d.pop("privacy_notice")))  # fmt: skip
        if "retention" in d:
            parts.append(self.tr("{state} more than {days} days ago").format(
                state=state_name(str(d.pop("retention")), language),
                days=d.pop("retention_days", "?")))  # fmt: skip
        if "captures" in d:
            parts.append(self.tr("{captures} capture(s), {signatures} signature(s) and "
                                 "{documents} scan(s) deleted").format(
                captures=d.pop("captures"), signatures=d.pop("signatures", 0),
                documents=d.pop("documents", 0)))  # fmt: skip
        if d.pop("faces", 0):
            parts.append(self.tr("the face vector deleted"))
        if d.pop("finger_templates", 0):
            parts.append(self.tr("the finger minutiae deleted"))
        # A detail added later and not named yet is still shown rather than hidden.
        parts.extend(f"{key}: {value}" for key, value in sorted(d.items()))
        return "; ".join(parts)


class SearchPanel(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self._generation = 0  # the newest query; older answers arriving late are dropped
        self.searches = 0
        self.shown_application_id: int | None = None
        self.box = named(QLineEdit(clearButtonEnabled=True), "search-box")
        self.box.setPlaceholderText(
            self.tr("NID, document number, permit, passport or name (without diacritics)")
        )
        self.status = named(QLabel(wordWrap=True), "search-status")
        self.results_model = SearchResultsModel(desk, self)
        self.results = table_view("search-results", self.results_model)
        self.history_title = named(QLabel(), "history-title")
        self.history_model = HistoryModel(desk, self)
        self.history = table_view("history", self.history_model)
        self.history_message = named(QLabel(wordWrap=True), "history-message")
        # A supervisor revokes the chosen application's valid card from here.
        actor = desk.actor
        self.can_revoke = actor is not None and all(
            is_allowed(actor.role, u) for u in (UseCase.REVOKE_CARD, UseCase.VIEW_APPLICATION)
        )
        self.revocable: cards.CardRecord | None = None
        self.revoke_dialog: RevokeCardDialog | None = None
        self._revoking = False
        self.card_label = named(QLabel(wordWrap=True), "search-card")
        self.revoke_button = named(QPushButton(self.tr("Re&voke card…")), "revoke-card")
        self.revoke_button.setAutoDefault(False)
        self.revoke_button.setEnabled(False)
        self.revoke_message = named(QLabel(wordWrap=True), "revoke-message")
        for widget in (self.card_label, self.revoke_button, self.revoke_message):
            widget.setVisible(self.can_revoke)
        self.revoke_button.clicked.connect(self.ask_revoke)

        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.box.textChanged.connect(self._debounce.start)
        self.box.returnPressed.connect(self._search_now)
        self.results.activated.connect(self.open_result)
        self.results.selectionModel().currentRowChanged.connect(self._result_chosen)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        card_row = QHBoxLayout()
        card_row.addWidget(self.card_label, 1)
        card_row.addWidget(self.revoke_button)
        lower_layout.addLayout(card_row)
        lower_layout.addWidget(self.revoke_message)
        lower_layout.addWidget(self.history_title)
        lower_layout.addWidget(self.history_message)
        lower_layout.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("&Search"))
        label.setBuddy(self.box)
        layout.addWidget(label)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        QWidget.setTabOrder(self.box, self.results)
        QWidget.setTabOrder(self.results, self.history)

    # -- searching ------------------------------------------------------------------------

    def _search_now(self) -> None:
        # Enter searches at once and then moves on to the results.
        self._debounce.stop()
        self.run_search()
        self.results.setFocus()

    def run_search(self) -> None:
        text = self.box.text()
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self.results_model.set_hits([])
            self.status.clear()
            return
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.searches += 1
        self.status.setText(self.tr("Searching…"))
        self.jobs.run(
            lambda: (generation, search.search(ctx, actor, text)), self._found, self._search_failed
        )

    def _found(self, result: tuple[int, list[Hit]]) -> None:
        generation, hits = result
        if generation != self._generation:
            return
        self.results_model.set_hits(hits)
        self.status.setText(
            self.tr("%n application(s) found.", "", len(hits))
            if hits
            else self.tr("Nothing found.")
        )
        if hits:
            self.results.selectRow(0)

    def _search_failed(self, error: Exception) -> None:
        self.status.setText(self.desk.message(error))

    # -- history --------------------------------------------------------------------------

    def _result_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_result(current)

    def open_result(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit = self.results_model.hits[index.row()]
        self.history_title.setText(
            self.tr("History of application {number}").format(number=hit.number)
        )
        self.history_message.setText(self.tr("Loading…"))
        ctx, actor, application_id = self.desk.ctx, self.desk.actor, hit.application_id
        assert actor is not None
        self.jobs.run(
            lambda: (application_id, audit.history(ctx, actor, "application", application_id)),
            self._history_loaded,
            self._history_failed,
        )
        self.shown_application_id = application_id
        self._load_cards(application_id)

    def _history_loaded(self, result: tuple[int, list[audit.TrailEntry]]) -> None:
        application_id, events = result
        if application_id != self.shown_application_id:
            return
        self.history_message.clear()
        self.history.setVisible(True)
        self.history_model.set_events(events)

    def _history_failed(self, error: Exception) -> None:
        # Roles that may not read the audit trail see the service's refusal, not an empty list.
        self.history_model.set_events([])
        self.history.setVisible(False)
        self.history_message.setText(self.desk.message(error))

    # -- revoking the card --------------------------------------------------------------

    def _load_cards(self, application_id: int) -> None:
        if not self.can_revoke:
            return
        self.revocable = None
        self.revoke_button.setEnabled(False)
        self.card_label.clear()
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.jobs.run(
            lambda: (application_id, cards.cards_of(ctx, actor, application_id)),
            self._cards_loaded, self._cards_failed,
        )  # fmt: skip

    def _cards_loaded(self, result: tuple[int, list[cards.CardRecord]]) -> None:
        application_id, records = result
        if application_id != self.shown_application_id:
            return
        today = self.desk.ctx.clock().date()
        valid = [
            c for c in records
            if c.status in (card_lifecycle.PRODUCED, card_lifecycle.HANDED_OVER)
            and c.expires_on >= today
        ]  # fmt: skip
        self.revocable = valid[-1] if valid else None
        if self.revocable is not None:
            self.card_label.setText(self.tr("Valid card {number}, expires {date}").format(
                number=self.revocable.document_number,
                date=f"{self.revocable.expires_on:%d.%m.%Y}"))  # fmt: skip
        elif records:
            last = records[-1]
            self.card_label.setText(self.tr("Card {number}: not valid ({status})").format(
                number=last.document_number, status=self._card_status(last.status)))  # fmt: skip
        else:
            self.card_label.setText(self.tr("No card produced for this application."))
        self._update_revoke()

    def _card_status(self, status: str) -> str:
        names = {
            "produced": self.tr("produced"), "handed_over": self.tr("handed over"),
            "revoked": self.tr("revoked"), "superseded": self.tr("superseded"),
            "void": self.tr("void"), "spoiled": self.tr("spoiled"),
        }  # fmt: skip
        return names.get(status, status)

    def _cards_failed(self, error: Exception) -> None:
        self.revocable = None
        self.card_label.setText(self.desk.message(error))
        self._update_revoke()

    def _update_revoke(self) -> None:
        self.revoke_button.setEnabled(
            self.revocable is not None and not self._revoking and self.revoke_dialog is None
        )

    def ask_revoke(self) -> None:
        card = self.revocable
        if card is None or self._revoking or self.revoke_dialog is not None:
            return
        dialog = RevokeCardDialog(card.document_number, self.desk.language, self)
        self.revoke_dialog = dialog
        dialog.finished.connect(lambda result: self._revoke_answered(dialog, result))
        self._update_revoke()
        dialog.open()

    def _revoke_answered(self, dialog: RevokeCardDialog, result: int) -> None:
        self.revoke_dialog = None
        dialog.deleteLater()
        reason = dialog.reason_code()
        if result != RevokeCardDialog.DialogCode.Accepted or reason is None:
            self._update_revoke()
            return
        self.revoke(dialog.document_number, reason, dialog.note_text())

    def revoke(self, document_number: str, reason: str, note: str) -> None:
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self._revoking = True
        self._update_revoke()
        self.revoke_message.setStyleSheet("")
        self.revoke_message.setText(
            self.tr("Revoking card {number}…").format(number=document_number)
        )
        self.jobs.run(
            lambda: card_lifecycle.revoke_card(ctx, actor, document_number, reason, note or None),
            self._revoked, self._revoke_refused,
        )  # fmt: skip

    def _revoked(self, revoked: card_lifecycle.RevokedCard) -> None:
        self._revoking = False
        self.revoke_message.setStyleSheet("color: #2e7d32; font-weight: bold")
        self.revoke_message.setText(self.tr(
            "Card {number} is revoked ({reason}). The civil registry and FER are told."
        ).format(
            number=revoked.document_number,
            reason=card_lifecycle.reason_name(revoked.reason, self.desk.language),
        ))  # fmt: skip
        if self.shown_application_id is not None:
            self._load_cards(self.shown_application_id)
            index = self.results.currentIndex()
            if index.isValid():
                self.open_result(index)  # the history shows the revocation

    def _revoke_refused(self, error: Exception) -> None:
        self._revoking = False
        self.revoke_message.setStyleSheet("color: #c62828; font-weight: bold")
        self.revoke_message.setText(self.desk.message(error))
        self._update_revoke()
