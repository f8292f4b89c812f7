"""Which savedesk field each column of a generic CSV holds (guessed from its header in several languages, or mapped with --map), and how its words read: roles, yes/no, satisfaction answers."""

from __future__ import annotations

import re

from review.errors import ImportFailed

# Header names (reduced by _key: lower case, no spaces or _-.#:()[]/) each field answers to.
GUESSES: dict[str, set[str]] = {
    field: set(words.split())
    for field, words in {
        "conversation_id": "conversationid conversation ticketid ticket ticketnumber ticketno "
        "caseid case casenumber threadid thread chatid dialogid dialogueid convid sessionid "
        "会话id 会话编号 会话 工单号 工单id 工单编号 对话id 对话编号 工單編號 會話id "
        "idдиалога диалог номеробращения обращение idобращения тикет номертикета idтикета",
        "message_id": "messageid msgid commentid replyid postid tweetid 消息id 消息编号 "
        "訊息id idсообщения номерсообщения",
        "created_at": "createdat created createdutc createdtime createdon creationdate "
        "creationtime date datetime time timestamp sentat sent senttime postedat messagedate "
        "时间 日期 创建时间 发送时间 時間 建立時間 發送時間 дата время датасоздания создано "
        "датаивремя датаотправки",
        "author": "author authorname sender sendername from speaker user username 发送者 "
        "发送人 作者 发件人 發送者 發件人 отправитель автор от",
        "author_role": "role authorrole authortype sendertype senderrole speakerrole usertype "
        "角色 发送者类型 身份 角色类型 роль типотправителя",
        "body": "body message messagebody messagetext text content comment description "
        "utterance msg 内容 消息 消息内容 正文 文本 回复内容 內容 訊息 訊息內容 сообщение "
        "текст содержание комментарий текстсообщения телосообщения",
        "subject": "subject title topic ticketsubject 主题 标题 主題 標題 тема заголовок",
        "channel": "channel via medium 渠道 通道 管道 канал",
        "status": "status state ticketstatus 状态 狀態 статус состояние",
        "customer": "customer customername requester requestername client clientname contact "
        "contactname 客户 客户名称 顾客 客戶 顧客 клиент заказчик имяклиента",
        "customer_email": "customeremail requesteremail email clientemail contactemail "
        "emailaddress 邮箱 电子邮件 客户邮箱 電子郵件 почта emailклиента электроннаяпочта",
        "agent": "agent agentname assignee operator rep representative owner 客服 坐席 负责人 "
        "处理人 客服人员 負責人 агент оператор исполнитель ответственный сотрудник",
        "agent_email": "agentemail assigneeemail operatoremail",
        "team": "team group department queue 组 团队 部门 分组 團隊 部門 команда группа отдел "
        "очередь",
        "tags": "tags tag labels label 标签 標籤 теги метки тег",
        "csat": "csat csatscore satisfaction satisfactionscore satisfactionrating rating "
        "满意度 评分 滿意度 評分 оценка удовлетворенность удовлетворённость",
        "nps": "nps npsscore 净推荐值 淨推薦值",
        "is_internal": "internal isinternal private isprivate internalnote 内部 内部备注 "
        "内部消息 內部 內部備註 внутренний внутреннее внутренняязаметка",
    }.items()
}

IGNORE = "ignore"  # `--map Column=ignore` keeps a column out of every guess


_ZONED = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$", re.I)


FIELDS = (
    "conversation_id",
    "message_id",
    "created_at",
    "author",
    "author_role",
    "body",
    "subject",
    "channel",
    "status",
    "customer",
    "customer_email",
    "agent",
    "agent_email",
    "team",
    "tags",
    "csat",
    "nps",
    "is_internal",
)


_ROLES = {
    role: set(words.split())
    for role, words in {
        "customer": "customer client user enduser end-user requester contact visitor lead "
        "inbound incoming 客户 顾客 用户 客戶 顧客 用戶 клиент пользователь покупатель",
        "agent": "agent staff support operator admin teammate rep employee assignee outbound "
        "客服 坐席 员工 客服人员 管理员 員工 агент оператор сотрудник поддержка менеджер",
        "bot": "bot automation ai chatbot assistant 机器人 機器人 бот",
        "system": "system 系统 系統 система",
    }.items()
}


_TRUE = {"true", "yes", "y", "1", "internal", "private", "note", "是", "内部", "內部", "да"}


_GOOD = {"good", "satisfied", "positive", "happy", "yes", "满意", "好", "滿意", "хорошо", "доволен"}


_BAD = {
    "bad",
    "unsatisfied",
    "dissatisfied",
    "negative",
    "unhappy",
    "no",
    "不满意",
    "差",
    "不滿意",
    "плохо",
    "недоволен",
}


def role_of(value: str) -> str:
    """An author-role cell as a savedesk role ("unknown" when it says nothing known)."""
    key = value.strip().lower()
    for role, words in _ROLES.items():
        if key in words:
            return role
    return "unknown"


def is_true(value: str) -> bool:
    """A yes/no cell (true, 1, yes, 是, да, internal...)."""
    return value.strip().lower() in _TRUE


def rating_values(kind: str, value: str) -> tuple[str, float, bool | None] | None:
    """(scale, score, positive) of a CSAT or NPS cell, or None when it is not one.

    CSAT: 1-5 (4 and 5 positive, per DOMAIN.md) or good/bad words; NPS: 0-10.
    """
    key = value.strip().lower()
    try:
        number = float(key)
    except ValueError:
        number = None
    if kind == "nps":
        if number is not None and number.is_integer() and 0 <= number <= 10:
            return "0-10", number, None
        return None
    if number is not None:
        if number.is_integer() and 1 <= number <= 5:
            return "1-5", number, number >= 4
        return None
    if key in _GOOD:
        return "good-bad", 1.0, True
    if key in _BAD:
        return "good-bad", 0.0, False
    return None


def _key(name: str) -> str:
    """A header name reduced for matching: "Ticket #", "ticket_id", "Ticket ID" -> "ticket..."."""
    return re.sub(r"[\s_\-.#:()\[\]/]+", "", name.lower())


def guess_columns(header: list[str], mapping: dict[str, str], name: str) -> dict[str, str]:
    """{savedesk field: column} from the user's mapping, then from header names.

    Raises ImportFailed for a mapping that names an unknown field or a column the file lacks.
    """
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for column, field in mapping.items():
        if field not in FIELDS and field != IGNORE:
            raise ImportFailed(
                name,
                f"--map gives column {column!r} the unknown field {field!r}; fields are "
                f"{', '.join(FIELDS)} (or {IGNORE})",
            )
        if column not in header:
            raise ImportFailed(
                name,
                f"--map names the column {column!r}, which this file does not have; its "
                f"columns are {', '.join(header)}",
            )
        used.add(column)
        if field != IGNORE:
            chosen[field] = column
    keys = {column: _key(column) for column in header if column not in used}
    for field in FIELDS:
        if field in chosen:
            continue
        for column, key in keys.items():
            if column not in used and key in GUESSES[field]:
                chosen[field] = column
                used.add(column)
                break
    # A bare "Id" is the conversation's when nothing else is, else the message's.
    for column, key in keys.items():
        if key == "id" and column not in used:
            field = "conversation_id" if "conversation_id" not in chosen else "message_id"
            if field not in chosen:
                chosen[field] = column
    return chosen
