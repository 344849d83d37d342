"""The canonical fields each import understands, with the header aliases that map onto them.

Aliases cover Simplified Chinese, Traditional Chinese and English spreadsheets, the four tables of the
Chinese sales process template, Salesflare/Slack trackers and common CRM exports. Matching ignores case,
width, spaces, punctuation and a trailing unit in brackets ("金额（元）" is "金额").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.imports.choices import ImportEntity

CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: Promise
    aliases: tuple[str, ...]
    required: bool = False


_EXTERNAL_ID = ("external id", "id", "编号", "编码", "外部编号", "外部編號", "編號")
_COMPANY = (
    "company", "company name", "account", "account name", "customer", "customer name", "organisation",
    "organization", "客户", "客户名称", "客户全称", "公司", "公司名称", "单位名称", "企业名称",
    "客戶", "客戶名稱", "公司名稱", "單位名稱", "企業名稱",
)  # fmt: skip
_OWNER = (
    "owner", "deal owner", "sales rep", "rep", "salesperson", "sales agent", "assigned to", "user",
    "负责人", "销售", "销售代表", "销售人员", "业务员", "跟进人", "客户经理", "归属人",
    "負責人", "銷售", "銷售代表", "銷售人員", "業務員", "跟進人", "客戶經理",
)  # fmt: skip
_CONTACT = ("contact", "contact name", "contact person", "primary contact", "联系人", "联系人姓名", "聯絡人", "聯繫人")
_PHONE = ("phone", "telephone", "tel", "mobile", "电话", "联系电话", "手机", "手机号", "電話", "聯絡電話", "手機")
_EMAIL = ("email", "e-mail", "mail", "email address", "邮箱", "电子邮箱", "邮件", "電郵", "電子郵件", "郵箱")

DEAL_FIELDS = (
    FieldSpec("external_id", _("external id"), (*_EXTERNAL_ID, "deal id", "opportunity id", "商机编号", "项目编号",
              "合同编号", "合同號", "合同編號", "商機編號", "項目編號")),
    FieldSpec("name", _("deal name"), ("name", "deal", "deal name", "opportunity", "opportunity name", "title",
              "project", "project name", "商机", "商机名称", "交易", "交易名称", "项目", "项目名称", "销售项目",
              "合同名称", "商機", "商機名稱", "交易名稱", "項目", "項目名稱", "合同名稱")),
    FieldSpec("company", _("company"), _COMPANY),
    FieldSpec("contact", _("contact"), _CONTACT),
    FieldSpec("owner", _("owner"), _OWNER),
    FieldSpec("pipeline", _("pipeline"), ("pipeline", "sales pipeline", "销售流程", "管道", "销售管道",
              "銷售流程", "管線")),
    FieldSpec("stage", _("stage"), ("stage", "deal stage", "sales stage", "pipeline stage", "阶段", "销售阶段",
              "当前阶段", "商机阶段", "階段", "銷售階段", "當前階段")),
    FieldSpec("status", _("status"), ("status", "deal status", "state", "outcome", "won/lost", "状态", "结果",
              "赢单/丢单", "狀態", "結果")),
    FieldSpec("value", _("value"), ("value", "amount", "deal value", "close value", "revenue", "deal amount", "price",
              "金额", "商机金额", "预计金额", "合同金额", "成交金额", "项目金额", "销售额", "金額", "合同金額",
              "成交金額", "預計金額")),
    FieldSpec("currency", _("currency"), ("currency", "币种", "货币", "幣種", "貨幣")),
    FieldSpec("created_at", _("created at"), ("created", "created at", "created date", "create date", "date created",
              "engage date", "start date", "open date", "创建时间", "创建日期", "立项日期", "开始日期", "建立日期",
              "建立時間", "創建日期", "開始日期", "立項日期")),
    FieldSpec("expected_close_date", _("expected close date"), ("expected close date", "expected close",
              "close date expected", "target close date", "预计成交日期", "预计签约日期", "预计结束日期",
              "預計成交日期", "預計簽約日期")),
    FieldSpec("closed_at", _("closed at"), ("closed", "closed at", "close date", "closed date", "date closed",
              "won date", "lost date", "sign date", "signing date", "成交日期", "关闭日期", "签订日期", "签约日期",
              "赢单日期", "成交日期", "關閉日期", "簽訂日期", "簽約日期")),
    FieldSpec("lost_reason", _("lost reason"), ("lost reason", "reason lost", "loss reason", "丢单原因", "输单原因",
              "失败原因", "丟單原因", "輸單原因")),
    FieldSpec("source", _("source"), ("source", "lead source", "channel", "线索来源", "来源", "渠道",
              "線索來源", "來源")),
    FieldSpec("priority", _("priority"), ("priority", "优先级", "優先級")),
    FieldSpec("product", _("product"), ("product", "products", "product name", "产品", "产品名称", "產品",
              "產品名稱")),
    FieldSpec("tags", _("tags"), ("tags", "tag", "labels", "标签", "標籤")),
    FieldSpec("next_step", _("next step"), ("next step", "next action", "下一步", "下一步行动", "下一步計劃",
              "下一步行動")),
)  # fmt: skip

COMPANY_FIELDS = (
    FieldSpec("external_id", _("external id"), (*_EXTERNAL_ID, "company id", "account id", "客户编号", "客戶編號")),
    FieldSpec("name", _("name"), (*_COMPANY, "name", "名称", "名稱")),
    FieldSpec("industry", _("industry"), ("industry", "sector", "行业", "所属行业", "行業", "所屬行業")),
    FieldSpec("size", _("size"), ("size", "company size", "employees", "headcount", "规模", "公司规模", "员工人数",
              "人数", "規模", "公司規模", "員工人數")),
    FieldSpec("region", _("region"), ("region", "location", "office location", "country", "city", "area", "地区",
              "区域", "所在地", "城市", "省份", "地區", "區域")),
    FieldSpec("parent", _("parent company"), ("parent", "parent company", "subsidiary of", "group", "上级公司",
              "母公司", "所属集团", "上級公司", "所屬集團")),
    FieldSpec("website", _("website"), ("website", "web", "url", "site", "网站", "官网", "網站", "官網")),
    FieldSpec("phone", _("phone"), _PHONE),
    FieldSpec("address", _("address"), ("address", "地址", "详细地址", "詳細地址")),
    FieldSpec("owner", _("owner"), _OWNER),
)  # fmt: skip

CONTACT_FIELDS = (
    FieldSpec("external_id", _("external id"), (*_EXTERNAL_ID, "contact id")),
    FieldSpec("name", _("name"), ("name", "full name", "contact", "contact name", "联系人", "姓名", "联系人姓名",
              "聯絡人", "聯繫人")),
    FieldSpec("company", _("company"), _COMPANY),
    FieldSpec("title", _("title"), ("title", "job title", "position", "role", "职位", "职务", "職位", "職務")),
    FieldSpec("phone", _("phone"), _PHONE),
    FieldSpec("email", _("e-mail"), _EMAIL),
    FieldSpec("wechat", _("WeChat id"), ("wechat", "wechat id", "weixin", "微信", "微信号", "微信號")),
    FieldSpec("owner", _("owner"), _OWNER),
)  # fmt: skip

ACTIVITY_FIELDS = (
    FieldSpec("kind", _("type"), ("type", "kind", "activity type", "activity", "类型", "活动类型", "跟进方式", "類型",
              "活動類型", "跟進方式")),
    FieldSpec("subject", _("subject"), ("subject", "title", "topic", "主题", "标题", "需求", "需求描述", "主題", "標題",
              "需求描述")),
    FieldSpec("outcome", _("outcome"), ("outcome", "notes", "note", "description", "details", "result", "内容", "备注",
              "结果", "跟进内容", "需求详情", "內容", "備註", "結果", "跟進內容")),
    FieldSpec("occurred_at", _("when"), ("date", "when", "occurred at", "activity date", "time", "日期", "时间",
              "跟进日期", "记录日期", "提出日期", "時間", "跟進日期", "記錄日期")),
    FieldSpec("duration_minutes", _("duration (minutes)"), ("duration", "duration minutes", "minutes", "时长",
              "時長")),
    FieldSpec("user", _("by"), (*_OWNER, "by", "记录人", "記錄人")),
    FieldSpec("deal", _("deal"), ("deal", "deal name", "opportunity", "deal id", "商机", "商机名称", "项目", "项目名称",
              "商機", "項目")),
    FieldSpec("company", _("company"), _COMPANY),
    FieldSpec("contact", _("contact"), _CONTACT),
)  # fmt: skip

PRODUCT_FIELDS = (
    FieldSpec("code", _("code"), ("code", "sku", "product code", "产品编码", "产品编号", "產品編碼", "產品編號")),
    FieldSpec("name", _("name"), ("name", "product", "product name", "产品", "产品名称", "產品", "產品名稱")),
    FieldSpec("series", _("series"), ("series", "product line", "category", "系列", "产品线", "類別", "產品線")),
    FieldSpec("price", _("list price"), ("price", "list price", "sales price", "unit price", "价格", "单价",
              "标准价格", "價格", "單價")),
    FieldSpec("currency", _("currency"), ("currency", "币种", "幣種")),
)  # fmt: skip

USER_FIELDS = (
    FieldSpec("username", _("username"), ("username", "login", "user name", "user id", "用户名", "账号", "用戶名",
              "帳號")),
    FieldSpec("name", _("name"), ("name", "full name", "display name", "sales agent", "sales rep", "rep", "employee",
              "姓名", "名字", "销售", "销售代表", "員工", "銷售代表")),
    FieldSpec("email", _("e-mail"), _EMAIL),
    FieldSpec("team", _("team"), ("team", "team name", "regional office", "office", "department", "region", "团队",
              "部门", "销售团队", "區域", "團隊", "部門", "銷售團隊")),
    FieldSpec("manager", _("manager"), ("manager", "sales manager", "team manager", "supervisor", "经理", "主管",
              "销售经理", "上级", "經理", "主管", "銷售經理", "上級")),
    FieldSpec("role", _("role"), ("role", "角色")),
)  # fmt: skip

ENTITY_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ImportEntity.DEALS: DEAL_FIELDS,
    ImportEntity.COMPANIES: COMPANY_FIELDS,
    ImportEntity.CONTACTS: CONTACT_FIELDS,
    ImportEntity.ACTIVITIES: ACTIVITY_FIELDS,
    ImportEntity.PRODUCTS: PRODUCT_FIELDS,
    ImportEntity.USERS: USER_FIELDS,
}
CUSTOM_FIELD_ENTITY = {
    ImportEntity.DEALS: CustomFieldEntity.DEAL,
    ImportEntity.COMPANIES: CustomFieldEntity.COMPANY,
    ImportEntity.CONTACTS: CustomFieldEntity.CONTACT,
}


def header_key(text: str) -> str:
    """The form headers are compared in: NFKC, case-folded, no unit in brackets, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    folded = re.sub(r"\s*[(\[（【][^)\]）】]*[)\]）】]\s*$", "", folded)
    return re.sub(r"[\W_]+", "", folded)


def field_choices(entity: str) -> list[tuple[str, str]]:
    """(key, label) of every field the entity imports, custom fields included, for the mapping form."""
    choices = [(spec.key, str(spec.label)) for spec in ENTITY_FIELDS[entity]]
    if entity in CUSTOM_FIELD_ENTITY:
        for definition in CustomFieldDefinition.objects.filter(entity=CUSTOM_FIELD_ENTITY[entity]):
            choices.append((CUSTOM_PREFIX + definition.key, definition.label))
    return choices


def _alias_index(entity: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in ENTITY_FIELDS[entity]:
        for alias in (spec.key, *spec.aliases):
            index.setdefault(header_key(alias), spec.key)
        for language in ("en", "zh-hans", "zh-hant"):  # exports are headed with the labels, in any language
            with translation.override(language):
                index.setdefault(header_key(str(spec.label)), spec.key)
    if entity in CUSTOM_FIELD_ENTITY:
        for definition in CustomFieldDefinition.objects.filter(entity=CUSTOM_FIELD_ENTITY[entity]):
            for alias in (definition.key, definition.label):
                index.setdefault(header_key(alias), CUSTOM_PREFIX + definition.key)
    return index


def auto_mapping(entity: str, headers: list[str]) -> dict[str, str]:
    """{header: field} for every header an alias recognises; each field is taken by its first header.

    A bilingual header ("客户名称 / Company") matches on any of its parts.
    """
    index = _alias_index(entity)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        parts = [header, *re.split(r"[/|\n]", header)]
        for part in parts:
            field = index.get(header_key(part))
            if field and field not in taken:
                mapping[header] = field
                taken.add(field)
                break
    return mapping
