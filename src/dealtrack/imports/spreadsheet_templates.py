"""Downloadable XLSX templates with Chinese and English headers, each importing as one entity.

The four tables of the Chinese sales process template (客户信息跟踪表, 销售阶段进度表, 客户需求记录表,
合同关键信息表) and a pipeline tracker. Requirements come in as notes on the company; contracts as won
deals (contract number = external id, sign date = close date), since there are no requirement or
contract records yet.
"""

from __future__ import annotations

import dataclasses
import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from dealtrack.imports.choices import ImportEntity
from dealtrack.pipelines.models import Pipeline


@dataclasses.dataclass(frozen=True)
class SpreadsheetTemplate:
    key: str
    title: str  # the Chinese table name teams know it by
    label: Promise
    entity: str
    headers: tuple[str, ...]
    example: tuple[str, ...]


TEMPLATES = {
    t.key: t
    for t in (
        SpreadsheetTemplate(
            "customer-info", "客户信息跟踪表", gettext_lazy("Customer information tracker"), ImportEntity.COMPANIES,
            ("客户编号 / Customer ID", "客户名称 / Company", "所属行业 / Industry", "公司规模 / Size", "地区 / Region",
             "网站 / Website", "联系电话 / Phone", "地址 / Address", "负责人 / Owner"),
            ("C-001", "华为科技有限公司", "通信", "1000+", "深圳", "https://www.huawei.com", "0755-28780808",
             "深圳市龙岗区坂田华为基地", ""),
        ),
        SpreadsheetTemplate(
            "stage-progress", "销售阶段进度表", gettext_lazy("Sales stage progress"), ImportEntity.DEALS,
            ("商机编号 / Deal ID", "商机名称 / Deal name", "客户名称 / Company", "联系人 / Contact", "负责人 / Owner",
             "销售阶段 / Stage", "状态 / Status", "金额 / Value", "创建日期 / Created",
             "预计成交日期 / Expected close date",
             "成交日期 / Closed", "丢单原因 / Lost reason", "下一步 / Next step"),
            ("D-001", "云平台采购项目", "华为科技有限公司", "", "", "", "进行中", "500000", "2024-03-01",
             "2024-06-30", "", "", "安排技术交流"),
        ),
        SpreadsheetTemplate(
            "requirements", "客户需求记录表", gettext_lazy("Customer requirements log"), ImportEntity.ACTIVITIES,
            ("提出日期 / Date", "客户名称 / Company", "联系人 / Contact", "需求描述 / Requirement",
             "需求详情 / Details", "记录人 / Recorded by", "跟进方式 / Type"),
            ("2024-03-05", "华为科技有限公司", "", "私有化部署", "需要支持本地机房部署和单点登录", "", "需求"),
        ),
        SpreadsheetTemplate(
            "contracts", "合同关键信息表", gettext_lazy("Contract key information"), ImportEntity.DEALS,
            ("合同编号 / Contract number", "合同名称 / Contract name", "客户名称 / Company",
             "合同金额 / Contract amount",
             "签订日期 / Sign date", "负责人 / Owner", "状态 / Status", "创建日期 / Created"),
            ("HT-2024-001", "云平台采购合同", "华为科技有限公司", "480000", "2024-07-15", "", "赢单", "2024-03-01"),
        ),
        SpreadsheetTemplate(
            "pipeline-tracker", "销售管道跟踪表", gettext_lazy("Pipeline tracker"), ImportEntity.DEALS,
            ("Deal / 商机名称", "Company / 客户名称", "Contact / 联系人", "Owner / 负责人", "Stage / 阶段",
             "Value / 金额", "Expected close date / 预计成交日期", "Next step / 下一步", "Priority / 优先级",
             "Lead source / 线索来源", "Tags / 标签"),
            ("Cloud migration", "华为科技有限公司", "", "", "", "120000", "2024-09-30", "Send proposal", "high",
             "Referral", "renewal"),
        ),
    )
}  # fmt: skip


def template_xlsx(key: str) -> bytes:
    """The template's workbook: the table with one example row, and a sheet listing the stage names."""
    template = TEMPLATES[key]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.title
    sheet.append(list(template.headers))
    sheet.append(list(template.example))
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(str(column[0].value)) + 4)
    notes = workbook.create_sheet(_("Notes") + " 说明")
    notes.append([_("Delete the example row, fill in your data and import it as: %(entity)s")
                  % {"entity": ImportEntity(template.entity).label}])  # fmt: skip
    notes.append([_("Dates as YYYY-MM-DD. Stage names of your pipelines:")])
    for pipeline in Pipeline.objects.filter(is_archived=False).prefetch_related("stages"):
        notes.append([pipeline.display_name, *(stage.display_name for stage in pipeline.stages.all())])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
