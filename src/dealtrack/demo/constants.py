"""What the demo organisation is made of: people, pipelines, catalogue, and the words its records use.

The organisation is Chinese, so its own data (names, products, tags, subjects) is Chinese. Pipeline
and stage names are msgids, like the ones the migrations ship, so they show in the reader's language.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop as N_

DEFAULT_DEALS = 600
DEFAULT_SEED = 2025
# Above this many deals the generator writes rows in bulk instead of calling the services per event.
BULK_THRESHOLD = 20_000
DEMO_PASSWORD = "demo1234"  # noqa: S105 -- the documented demo login password

# (username, display name, team index); team index None for the administrator.
ADMIN = ("admin", "系统管理员")
TEAMS = ("华南销售", "华东销售")
MANAGERS = (("manager1", "王建国", 0), ("manager2", "李红梅", 1))
REPS = (
    ("rep1", "张伟", 0),
    ("rep2", "刘洋", 0),
    ("rep3", "陈静", 0),
    ("rep4", "杨帆", 0),
    ("rep5", "赵磊", 1),
    ("rep6", "黄丽", 1),
    ("rep7", "周杰", 1),
    ("rep8", "吴敏", 1),
)
# How much of the work each rep carries: a team has stronger and weaker sellers.
REP_WEIGHTS = (16, 12, 10, 7, 15, 13, 9, 8)

# (name msgid, stage template, share of deals, value multiplier, name of the fridge stage or None)
PIPELINES = (
    (None, "slack", 55, 1.0, None),  # the default pipeline the migration creates
    (N_("Channel partners"), "salesflare", 25, 0.6, N_("Fridge")),
    (N_("Key accounts"), "process", 20, 3.0, None),
)

# (code, name, series, list price in CNY)
PRODUCTS = (
    ("CRM-STD", "销售云 标准版", "软件订阅", Decimal("36000")),
    ("CRM-PRO", "销售云 专业版", "软件订阅", Decimal("88000")),
    ("CRM-ENT", "销售云 企业版", "软件订阅", Decimal("260000")),
    ("DATA-HUB", "数据中台", "平台", Decimal("480000")),
    ("IOT-GW", "工业物联网网关", "硬件", Decimal("12000")),
    ("IMPL", "实施服务（人天）", "服务", Decimal("2500")),
    ("TRAIN", "培训服务", "服务", Decimal("15000")),
    ("SUPPORT", "年度运维服务", "服务", Decimal("50000")),
)
PRODUCT_WORDS = ("销售云", "数据中台", "物联网平台", "客服系统", "ERP对接", "BI报表", "移动办公", "渠道管理系统")

# (name, colour)
TAGS = (
    ("重点客户", "#dc2626"),
    ("政府项目", "#7c3aed"),
    ("年度框架", "#2563eb"),
    ("竞品对标", "#ea580c"),
    ("试点项目", "#059669"),
    ("大单", "#b45309"),
    ("渠道合作", "#0891b2"),
    ("老客户转介绍", "#4b5563"),
)

COMPETITORS = ("销售易", "纷享销客", "Salesforce", "自研系统", "无")
CUSTOMER_LEVELS = ("A", "B", "C")
DECISION_ROLES = ("决策者", "影响者", "使用者", "把关者")
# (entity, key, label, type, choices)
CUSTOM_FIELDS = (
    ("deal", "budget_confirmed", "预算已确认", "boolean", ()),
    ("deal", "competitor", "主要竞品", "choice", COMPETITORS),
    ("deal", "contract_years", "合同年限", "number", ()),
    ("company", "customer_level", "客户等级", "choice", CUSTOMER_LEVELS),
    ("company", "annual_revenue", "年营收（万元）", "money", ()),
    ("contact", "decision_role", "决策角色", "choice", DECISION_ROLES),
)

INDUSTRIES = ("制造业", "互联网", "金融", "教育", "医疗健康", "零售", "物流", "能源", "政府与公共事业", "房地产")
COMPANY_WORDS = (
    "科技",
    "信息技术",
    "智能制造",
    "电子",
    "网络",
    "医疗器械",
    "新材料",
    "物流",
    "食品",
    "教育科技",
    "环保",
    "能源",
    "建设",
    "贸易",
    "传媒",
    "生物",
    "汽车零部件",
    "精密机械",
)
LEGAL_FORMS = (("有限公司", 70), ("股份有限公司", 20), ("集团有限公司", 10))
CONTACT_TITLES = (
    "总经理",
    "采购经理",
    "IT总监",
    "财务总监",
    "技术负责人",
    "销售副总",
    "运营经理",
    "项目经理",
    "董事长助理",
)

# (kind, weight, minutes range or None, subjects, outcomes)
ACTIVITY_KINDS = (
    (
        "call",
        35,
        (5, 40),
        ("电话沟通需求", "跟进报价反馈", "确认演示时间", "电话回访"),
        ("客户对方案感兴趣，约下周演示", "对价格有顾虑，需要内部讨论", "未接通，稍后再联系", "确认了预算范围"),
    ),
    (
        "email",
        25,
        None,
        ("发送产品资料", "发送报价单", "发送合同草稿", "发送会议纪要"),
        ("客户已回复，确认收到", "客户要求补充案例", "等待客户法务意见", ""),
    ),
    (
        "meeting",
        15,
        (30, 120),
        ("线上产品演示", "需求调研会", "方案评审会", "商务谈判"),
        ("演示顺利，客户提出三点定制需求", "明确了决策流程和时间表", "价格未谈拢，下次再议", "技术方案获认可"),
    ),
    (
        "visit",
        15,
        (60, 180),
        ("上门拜访", "现场调研", "高层拜访", "签约拜访"),
        ("见到了决策人，关系推进", "参观了生产线，梳理了业务流程", "客户希望先做试点", "签约意向明确"),
    ),
    ("note", 10, None, ("内部备注", "客户背景整理", "竞品情况记录"), ("客户今年IT预算增加", "竞品正在接触客户", "")),
)
TASK_TITLES = (
    "发送报价单",
    "安排产品演示",
    "跟进合同条款",
    "确认采购流程",
    "预约高层拜访",
    "准备技术方案",
    "回复客户邮件",
    "催收预付款",
    "整理需求清单",
    "邀请参加客户活动",
)
COLLABORATOR_ROLES = ("售前技术支持", "产品经理", "财务", "交付经理")
LOST_NOTES = ("客户预算削减，项目延期到明年", "竞品报价低两成", "决策人离职", "需求变更，暂不采购", "", "")
