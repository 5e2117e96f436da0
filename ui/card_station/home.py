"""The card operator's station: the queue of approved applications, "Produce card" (print the
face, encode the chip, verify) one by one or for the whole queue, "Record as spoiled" for a
blank left in production, the spoiled blanks with their reasons in words and a reprint, and the
handover of cards whose holder is e-Albania ready (the old card voided when handed in), with the
photo stored at enrolment beside the document number and, read from the card in the reader, the
photo on its chip: the operator compares both with the person collecting the card.

Production blocks on the printer and the chip for seconds, so the service
(``cards.produce_at_station``: keys, printer, station) runs in a worker; its progress callback
comes back to this screen as a queued signal. The service decides everything (state, one valid
card per person, the right card at handover); this screen shows its answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from issuance.errors import IssuanceError
from issuance.queries import cards as card_queries
from issuance.queries.cards import HandoverCard, SpoiledCard, WaitingCard
from issuance.services import cards, stock
from issuance.services.cards import CardRecord, ProducedCard
from issuance.services.stock import StockStatus
from ui.card_station.dialogs import SpoilDialog
from ui.card_station.models import (
    HandoverModel,
    ProgressDelegate,
    QueueModel,
    SpoiledModel,
    step_percent,
    step_text,
)
from ui.context import DeskContext
from ui.tables import set_up_view
from ui.widgets import named

# The photos at the handover, side by side: ICAO proportions (35 x 45).
PHOTO_WIDTH, PHOTO_HEIGHT = 105, 135


@dataclass(frozen=True)
class _Lists:
    waiting: list[WaitingCard]
    spoiled: list[SpoiledCard]
    handover: list[HandoverCard]
    keys_problem: IssuanceError | None
    stock: StockStatus | None = None  # the office's blanks (None: not shown)


class _ProgressRelay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call to the screen."""

    step = Signal(int, str)


def _produce_in_worker(
    desk: DeskContext, application_id: int, relay: _ProgressRelay
) -> ProducedCard:
    """Runs in a worker thread: the service reads the permit at FER again, loads the keys and
    opens the printer and the station, never on the GUI thread (CUPS, PC/SC and FER block)."""
    actor = desk.actor
    assert actor is not None
    return cards.produce_at_station(
        desk.ctx, actor, application_id,
        progress=lambda step: relay.step.emit(application_id, step), fer=desk.registers.fer,
    )  # fmt: skip


class CardStationHome(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self.producing: int | None = None  # application whose card is in the devices now
        self._pending: list[int] = []  # "produce all": still to do after the current one
        self._queue_total = 0
        self._handing_over = False
        self._handover_row: HandoverCard | None = None
        self._relay = _ProgressRelay(self)
        self._relay.step.connect(self._step)
        self.last_produced: ProducedCard | None = None
        self.spoil_dialog: SpoilDialog | None = None
        self._spoiling = False

        # -- the queue --
        self.keys_banner = named(QLabel(wordWrap=True), "keys-missing", visible=False)
        self.keys_banner.setStyleSheet("color: #a00; font-weight: bold")
        # The office's blank stock: the serial the next card is printed on, and a warning
        # below the office's level (shown only once the office keeps a stock).
        self.stock_label = named(QLabel(wordWrap=True), "blank-stock", visible=False)
        self.queue_model = QueueModel(self)
        self.queue = named(QTableView(), "queue")
        self.queue.setModel(self.queue_model)
        set_up_view(self.queue)
        self.queue.setItemDelegateForColumn(QueueModel.PROGRESS_COLUMN, ProgressDelegate(self))
        self.queue.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.queue.activated.connect(self._queue_activated)
        self.produce_button = named(QPushButton(self.tr("&Produce card")), "produce")
        self.produce_all_button = named(QPushButton(self.tr("Produce &all")), "produce-all")
        self.refresh_button = named(QPushButton(self.tr("Re&fresh")), "refresh")
        self.spoil_button = named(QPushButton(self.tr("Record as &spoiled…")), "spoil")
        self.spoil_button.setToolTip(
            self.tr("A blank left in production (the run was interrupted) or misprinted")
        )
        self.spoil_button.clicked.connect(self.spoil_selected)
        self.produce_button.clicked.connect(self.produce_selected)
        self.produce_all_button.clicked.connect(self.produce_all)
        self.refresh_button.clicked.connect(self.refresh)
        self.card_progress = named(QProgressBar(), "card-progress")
        self.card_progress.setRange(0, 100)
        self.card_progress.setValue(0)
        self.card_progress.setFormat(self.tr("Card: %p%"))
        self.queue_progress = named(QProgressBar(), "queue-progress", visible=False)
        self.queue_progress.setFormat(self.tr("Queue: %v of %m"))
        self.step_label = named(QLabel(), "step")
        self.message = named(QLabel(wordWrap=True), "message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- spoiled blanks --
        self.spoiled_model = SpoiledModel(self, language=desk.language)
        self.spoiled = named(QTableView(), "spoiled")
        self.spoiled.setModel(self.spoiled_model)
        set_up_view(self.spoiled)
        self.spoiled.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.reprint_button = named(QPushButton(self.tr("&Reprint")), "reprint")
        self.reprint_button.clicked.connect(self.reprint_selected)

        # -- handover --
        self.handover_model = HandoverModel(self)
        self.handover = named(QTableView(), "handover")
        self.handover.setModel(self.handover_model)
        set_up_view(self.handover)
        self.handover.selectionModel().currentRowChanged.connect(self._handover_chosen)
        self.confirmation = named(QLineEdit(), "confirmation")
        self.handover.activated.connect(lambda _index: self.confirmation.setFocus())
        self.confirmation.setPlaceholderText(self.tr("Scan or type the card's document number"))
        self.confirmation.setMaxLength(20)
        self.confirmation.returnPressed.connect(self.hand_over_selected)
        self.old_card_handed_in = named(
            QCheckBox(self.tr("The resident handed in the old card")), "old-card-handed-in"
        )
        self.hand_over_button = named(QPushButton(self.tr("&Hand over")), "hand-over")
        self.hand_over_button.clicked.connect(self.hand_over_selected)
        self.spoil_scanned_button = named(
            QPushButton(self.tr("Misprinted: record as spoiled…")), "spoil-scanned"
        )
        self.spoil_scanned_button.setToolTip(
            self.tr(
                "The scanned card is misprinted or damaged: it is never handed over and "
                "its application returns to the queue"
            )  # fmt: skip
        )
        self.spoil_scanned_button.clicked.connect(self.spoil_scanned)
        self.enrolment_photo = self._photo_label("enrolment-photo")
        self.chip_photo = self._photo_label("chip-photo")
        self.read_chip_button = named(QPushButton(self.tr("Read the &chip photo")), "read-chip")
        self.read_chip_button.setToolTip(
            self.tr("Read the photo from the chip of the card in the reader")
        )
        self.read_chip_button.clicked.connect(self.read_chip_photo)
        self._photo_for: int | None = None  # the application whose photos are shown
        self._reading_chip = False
        QShortcut(QKeySequence("F5"), self, self.refresh)

        self._layout()
        self._update_buttons()
        QTimer.singleShot(0, self.refresh)

    def _layout(self) -> None:
        queue_box = QGroupBox(self.tr("Approved applications waiting for a card"))
        queue_layout = QVBoxLayout(queue_box)
        queue_layout.addWidget(self.keys_banner)
        queue_layout.addWidget(self.stock_label)
        queue_layout.addWidget(self.queue, 1)
        buttons = QHBoxLayout()
        for button in (
            self.produce_button, self.produce_all_button, self.spoil_button, self.refresh_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addWidget(self.card_progress, 1)
        buttons.addWidget(self.queue_progress, 1)
        queue_layout.addLayout(buttons)
        queue_layout.addWidget(self.step_label)

        spoiled_box = QGroupBox(self.tr("Spoiled cards"))
        spoiled_layout = QVBoxLayout(spoiled_box)
        spoiled_layout.addWidget(self.spoiled, 1)
        spoiled_layout.addWidget(self.reprint_button)

        handover_box = QGroupBox(self.tr("Ready for handover (e-Albania ready)"))
        handover_layout = QVBoxLayout(handover_box)
        handover_layout.addWidget(self.handover, 1)
        label = QLabel(self.tr("&Document number on the card:"))
        label.setBuddy(self.confirmation)
        number = QVBoxLayout()
        number.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(self.confirmation, 1)
        row.addWidget(self.hand_over_button)
        number.addLayout(row)
        number.addWidget(self.read_chip_button)
        number.addStretch(1)
        photos = QHBoxLayout()
        for caption, photo in (
            (self.tr("Photo at enrolment"), self.enrolment_photo),
            (self.tr("Photo on the chip"), self.chip_photo),
        ):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(photo)
            photos.addLayout(column)
        photos.addLayout(number, 1)
        handover_layout.addLayout(photos)
        below = QHBoxLayout()
        below.addWidget(self.old_card_handed_in, 1)
        below.addWidget(self.spoil_scanned_button)
        handover_layout.addLayout(below)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(spoiled_box)
        lower.addWidget(handover_box)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(queue_box)
        main.addWidget(lower)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(main, 1)
        layout.addWidget(self.message)
        order = (
            self.queue, self.produce_button, self.produce_all_button, self.spoil_button,
            self.refresh_button, self.spoiled, self.reprint_button, self.handover,
            self.confirmation, self.hand_over_button, self.read_chip_button,
            self.old_card_handed_in, self.spoil_scanned_button,
        )  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- lists --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the queue, the spoiled blanks and the handover list (one worker)."""
        ctx, actor, settings = self.desk.ctx, self.desk.actor, self.desk.settings
        assert actor is not None

        def load() -> _Lists:
            try:
                card_queries.signing_keys(settings)
                problem = None
            except IssuanceError as exc:  # missing, not issued by the CSCA, expired
                problem = exc
            return _Lists(
                card_queries.waiting_for_card(ctx, actor),
                card_queries.spoiled_cards(ctx, actor),
                card_queries.ready_for_handover(ctx, actor),
                problem,
                stock.own_office_stock(ctx, actor),
            )

        for model in (self.queue_model, self.spoiled_model, self.handover_model):
            model.begin_loading()
        self.jobs.run(load, self._lists_loaded, self._failed)

    def _lists_loaded(self, lists: _Lists) -> None:
        self.keys_banner.setVisible(lists.keys_problem is not None)
        if lists.keys_problem is not None:
            self.keys_banner.setText(self.desk.message(lists.keys_problem))
        self._show_stock(lists.stock)
        selected_queue = self.selected_waiting()
        selected_handover = self.selected_handover()
        self.queue_model.set_rows(lists.waiting)
        self.spoiled_model.set_rows(lists.spoiled)
        self.handover_model.set_rows(lists.handover)
        # Keep the operator's place: the same application stays selected if it is still there.
        keep = selected_queue.application_id if selected_queue else None
        row = self.queue_model.row_of(keep) if keep is not None else None
        if row is None and lists.waiting:
            row = 0
        if row is not None:
            self.queue.selectRow(row)
        keep = selected_handover.application_id if selected_handover else None
        row = self.handover_model.row_of(keep) if keep is not None else None
        if row is None and lists.handover:
            row = 0
        if row is not None:
            self.handover.selectRow(row)
        if not lists.waiting and self.producing is None and not self.message.text():
            self.message.setText(self.tr("No approved application is waiting for a card."))
        self._update_buttons()

    def _show_stock(self, status: StockStatus | None) -> None:
        self.stock_label.setVisible(status is not None and status.kept)
        if status is None or not status.kept:
            return
        if status.low:
            self.stock_label.setStyleSheet("color: #a00; font-weight: bold")
            self.stock_label.setText(
                self.tr(
                    "Low blank stock: {count} blanks left (warning below {level}). Ask a "
                    "supervisor to receive a new box."
                ).format(count=status.in_stock, level=status.warning_level)
            )
        else:
            self.stock_label.setStyleSheet("")
            self.stock_label.setText(
                self.tr("Blanks in stock: {count}; the next card is printed on blank {serial}.")
                .format(count=status.in_stock, serial=status.next_serial or "")
            )  # fmt: skip

    def selected_waiting(self) -> WaitingCard | None:
        index = self.queue.currentIndex()
        return self.queue_model.row(index.row()) if index.isValid() else None

    def selected_spoiled(self) -> SpoiledCard | None:
        index = self.spoiled.currentIndex()
        return self.spoiled_model.row(index.row()) if index.isValid() else None

    def selected_handover(self) -> HandoverCard | None:
        index = self.handover.currentIndex()
        return self.handover_model.row(index.row()) if index.isValid() else None

    def _update_buttons(self, *_args: object) -> None:
        idle = self.producing is None
        self.produce_button.setEnabled(idle and self.selected_waiting() is not None)
        self.produce_all_button.setEnabled(idle and self.queue_model.rowCount() > 0)
        waiting = self.selected_waiting()
        self.spoil_button.setEnabled(
            idle and not self._spoiling and waiting is not None
            and waiting.left_in_production is not None
        )  # fmt: skip
        spoiled = self.selected_spoiled()
        waiting_ids = {r.application_id for r in self.queue_model.rows}
        self.reprint_button.setEnabled(
            idle and spoiled is not None and spoiled.application_id in waiting_ids
        )
        ready = not self._handing_over and self.selected_handover() is not None
        self.hand_over_button.setEnabled(ready)
        self.confirmation.setEnabled(ready or self._handing_over)
        self.read_chip_button.setEnabled(
            not self._reading_chip and self.selected_handover() is not None
        )

    # -- production ---------------------------------------------------------------------

    def _queue_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.produce_selected()

    def produce_selected(self) -> None:
        row = self.selected_waiting()
        if row is None or self.producing is not None:
            return
        self._pending, self._queue_total = [], 0
        self.queue_progress.setVisible(False)
        self._start(row.application_id)

    def reprint_selected(self) -> None:
        """A new blank for the application of the selected spoiled card."""
        spoiled = self.selected_spoiled()
        if spoiled is None or self.producing is not None:
            return
        self._pending, self._queue_total = [], 0
        self.queue_progress.setVisible(False)
        self._start(spoiled.application_id)

    def produce_all(self) -> None:
        """Every application of the queue, one after another, stopping at the first failure:
        a spoiled blank or a printer problem needs the operator's eyes before the next one."""
        if self.producing is not None or not self.queue_model.rows:
            return
        ids = [r.application_id for r in self.queue_model.rows]
        self._queue_total = len(ids)
        self._pending = ids[1:]
        self.queue_progress.setRange(0, self._queue_total)
        self.queue_progress.setValue(0)
        self.queue_progress.setVisible(True)
        self._start(ids[0])

    def _start(self, application_id: int) -> None:
        self.producing = application_id
        self.message.clear()
        self.card_progress.setValue(0)
        self.step_label.setText(self.tr("Starting…"))
        self.queue_model.set_progress(application_id, 0, self.tr("Starting…"))
        n = self.queue_model.row_of(application_id)
        if n is not None:
            self.queue.selectRow(n)
        self._update_buttons()
        desk, relay = self.desk, self._relay
        self.jobs.run(
            lambda: _produce_in_worker(desk, application_id, relay),
            self._produced,
            self._production_failed,
        )

    def _step(self, application_id: int, step: str) -> None:
        if application_id != self.producing:
            return
        percent = step_percent(step, self.card_progress.value())
        text = step_text(step)
        self.card_progress.setValue(percent)
        self.step_label.setText(text)
        self.queue_model.set_progress(application_id, percent, text)

    def _produced(self, produced: ProducedCard) -> None:
        self.last_produced = produced
        application_id = produced.application_id
        row = self.queue_model.row_of(application_id)
        number = self.queue_model.rows[row].number if row is not None else str(application_id)
        self.card_progress.setValue(100)
        self.queue_model.clear_progress(application_id)
        self.producing = None
        self.message.setText(
            self.tr("Card {card} produced and verified for application {application}.").format(
                card=produced.document_number, application=number
            )
        )
        self.step_label.setText(self.tr("Card produced"))
        if self._queue_total:
            self.queue_progress.setValue(self._queue_total - len(self._pending))
        self.refresh()
        if self._pending:
            self._start(self._pending.pop(0))
        else:
            self._update_buttons()

    def _production_failed(self, error: Exception) -> None:
        if self.producing is not None:
            self.queue_model.clear_progress(self.producing)
        self.producing = None
        stopped = bool(self._pending)
        self._pending = []
        self.card_progress.setValue(0)
        self.step_label.clear()
        text = self.desk.message(error)
        if stopped:
            text += " " + self.tr("Producing the queue stopped here.")
        self.message.setText(text)
        # A spoiled blank is now in the spoiled list, and the application still in the queue.
        self.refresh()
        self._update_buttons()

    # -- a blank left in production ------------------------------------------------------

    def spoil_selected(self) -> None:
        """Ask why, then record the selected application's blank left in production as
        spoiled: the application waits for a new blank."""
        row = self.selected_waiting()
        if row is None or row.left_in_production is None or self.producing is not None:
            return
        self._ask_why_spoiled(row.left_in_production)

    def spoil_scanned(self) -> None:
        """The card whose number was scanned for the handover is misprinted: record it as
        spoiled (the service sends its application back to the queue)."""
        number = "".join(self.confirmation.text().split()).upper()
        if not number:
            self.message.setText(self.tr("Scan the document number on the back of the card."))
            self.confirmation.setFocus()
            return
        if self._spoiling or self._handing_over:
            return
        self._ask_why_spoiled(number)

    def _ask_why_spoiled(self, number: str) -> None:
        dialog = SpoilDialog(number, self)
        self.spoil_dialog = dialog
        dialog.accepted.connect(lambda: self._spoil(number, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _spoil(self, document_number: str, reason: str) -> None:
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self._spoiling = True
        self._update_buttons()
        self.jobs.run(
            lambda: cards.spoil_card(ctx, actor, document_number, reason),
            self._spoiled,
            self._spoil_refused,
        )

    def _spoiled(self, card: CardRecord) -> None:
        self._spoiling = False
        self.confirmation.clear()
        self.message.setText(
            self.tr("Card {card} recorded as spoiled: {reason}. The application waits for a "
                    "new blank.").format(card=card.document_number, reason=card.spoiled_reason)
        )  # fmt: skip
        self.refresh()

    def _spoil_refused(self, error: Exception) -> None:
        self._spoiling = False
        self.message.setText(self.desk.message(error))
        self._update_buttons()

    # -- handover -----------------------------------------------------------------------

    @staticmethod
    def _photo_label(name: str) -> QLabel:
        photo = named(QLabel(), name)
        photo.setFixedSize(PHOTO_WIDTH, PHOTO_HEIGHT)
        photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        photo.setStyleSheet("border: 1px solid #999")
        return photo

    @staticmethod
    def _show_photo(label: QLabel, jpeg: bytes | None, missing: str) -> None:
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg):
            label.setPixmap(pixmap.scaled(
                label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ))  # fmt: skip
        else:
            label.clear()
            label.setText(missing)

    def _handover_chosen(self, *_args: object) -> None:
        self.confirmation.clear()
        self.chip_photo.clear()
        row = self.selected_handover()
        application_id = row.application_id if row else None
        if application_id != self._photo_for:
            self.enrolment_photo.clear()
        self._photo_for = application_id
        if application_id is not None:
            ctx, actor = self.desk.ctx, self.desk.actor
            assert actor is not None
            self.jobs.run(
                lambda: card_queries.enrolment_photo(ctx, actor, application_id),
                lambda jpeg: self._enrolment_photo_loaded(application_id, jpeg),
                self._failed,
            )
        self._update_buttons()

    def _enrolment_photo_loaded(self, application_id: int, jpeg: bytes | None) -> None:
        if application_id == self._photo_for:  # the operator may have moved on meanwhile
            self._show_photo(self.enrolment_photo, jpeg, self.tr("No photo"))

    def read_chip_photo(self) -> None:
        """Read the face from the chip of the card in the reader (a worker: PC/SC blocks),
        opened with the selected application's card: another person's card does not open."""
        row = self.selected_handover()
        if row is None or self._reading_chip:
            return
        ctx, actor, application_id = self.desk.ctx, self.desk.actor, row.application_id
        assert actor is not None
        self._reading_chip = True
        self.chip_photo.clear()
        self.chip_photo.setText(self.tr("Reading…"))
        self._update_buttons()
        self.jobs.run(
            lambda: card_queries.chip_photo(ctx, actor, application_id),
            lambda jpeg: self._chip_photo_read(application_id, jpeg),
            self._chip_photo_refused,
        )

    def _chip_photo_read(self, application_id: int, jpeg: bytes) -> None:
        self._reading_chip = False
        if application_id == self._photo_for:
            self._show_photo(self.chip_photo, jpeg, self.tr("No photo"))
        self._update_buttons()

    def _chip_photo_refused(self, error: Exception) -> None:
        self._reading_chip = False
        self.chip_photo.clear()
        self.message.setText(self.desk.message(error))
        self._update_buttons()

    def hand_over_selected(self) -> None:
        row = self.selected_handover()
        if row is None or self._handing_over:
            return
        confirmation = self.confirmation.text().strip()
        if not confirmation:
            self.message.setText(self.tr("Scan the document number on the back of the card."))
            self.confirmation.setFocus()
            return
        self._handing_over = True
        self._update_buttons()
        ctx, actor, application_id = self.desk.ctx, self.desk.actor, row.application_id
        assert actor is not None
        self._handover_row = row
        handed_in = self.old_card_handed_in.isChecked()
        self.jobs.run(
            lambda: cards.hand_over(
                ctx, actor, application_id, confirmation, old_card_handed_in=handed_in
            ),
            self._handed_over,
            self._handover_refused,
        )

    def _handed_over(self, card: CardRecord) -> None:
        self._handing_over = False
        row = self._handover_row
        assert row is not None
        self.confirmation.clear()
        self.old_card_handed_in.setChecked(False)
        self.message.setText(
            self.tr("Card {card} handed over to {name} (application {application}).").format(
                card=card.document_number,
                name=f"{row.given_names} {row.surname}",
                application=row.number,
            )  # fmt: skip
        )
        self.refresh()
        self._update_buttons()

    def _handover_refused(self, error: Exception) -> None:
        self._handing_over = False
        self.message.setText(self.desk.message(error))
        self._update_buttons()
        # Ready for the next scan: the wrong number is selected, so scanning again replaces it.
        self.confirmation.setFocus()
        self.confirmation.selectAll()

    def _failed(self, error: Exception) -> None:
        for model in (self.queue_model, self.spoiled_model, self.handover_model):
            model.end_loading()
        self.message.setText(self.desk.message(error))
