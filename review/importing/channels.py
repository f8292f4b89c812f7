"""One vocabulary of channels for every helpdesk (DOMAIN.md): email, chat, phone, web, social,
messaging, api for tickets an integration made through the helpdesk's API, and other for
tickets the system made.

Readers may pass the helpdesk's own word; the writer stores the common one, so filters, metrics
and reports group a Zendesk "voice" ticket with an Intercom "phone_call". A word not known here
is kept as written (lowercase) rather than lost.
"""

from __future__ import annotations

CHANNELS = ("email", "chat", "phone", "web", "social", "messaging", "api", "other")

_SYNONYMS = {
    "email": (
        "email",
        "e-mail",
        "mail",
        "inbound email",
        "outbound email",
        "outbound_email",
        "mailbox",
        "forwarding",
        "email_forwarding",
    ),
    "chat": (
        "chat",
        "live chat",
        "livechat",
        "chat_transcript",
        "conversation",
        "messenger",
        "beaconchat",
        "front_chat",
        "intercom",
        "push",
        "in-app",
    ),
    "phone": (
        "phone",
        "voice",
        "call",
        "phone_call",
        "phone call",
        "phone call (incoming)",
        "phone call (outgoing)",
        "voicemail",
        "telephony",
    ),
    "web": (
        "web",
        "web form",
        "web_form",
        "webform",
        "web widget",
        "web_widget",
        "widget",
        "portal",
        "feedback widget",
        "feedback_widget",
        "form",
        "help_center",
        "helpcenter",
        "mobile_sdk",
        "mobile sdk",
        "mobile",
        "mobihelp",
        "forum",
        "googleplay",
    ),
    "social": (
        "social",
        "twitter",
        "tweet",
        "tweet_dm",
        "twitter_dm",
        "x",
        "facebook",
        "facebook_post",
        "facebook_message",
        "instagram",
        "instagram_dm",
        "linkedin",
    ),
    "messaging": (
        "messaging",
        "native_messaging",
        "whatsapp",
        "sms",
        "text",
        "line",
        "wechat",
        "telegram",
        "viber",
        "kakao",
        "apple_business_chat",
        "google_rcs",
    ),
    # tickets an integration made through the helpdesk's API: not the customer's own channel
    "api": ("api", "web service", "web_service", "web_services"),
    "other": (
        "other",
        "sample_ticket",
        "system",
        "rule",
        "closed_ticket",
        "merge",
        "any_channel",
        "side_conversation",
        "custom",
    ),
}
_LOOKUP = {word: channel for channel, words in _SYNONYMS.items() for word in words}


def normalise_channel(raw: str | None) -> str | None:
    """The common channel for a helpdesk's own channel word (None stays None)."""
    if raw is None:
        return None
    word = " ".join(str(raw).strip().lower().split())
    if not word:
        return None
    return _LOOKUP.get(word) or _LOOKUP.get(word.replace(" ", "_")) or word
