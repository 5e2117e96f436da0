"""The card operator's screen: produce cards, account for spoiled blanks, hand cards over."""

from ui.card_station.home import CardStationHome

__all__ = ["CardStationHome"]
