"""One importer per entity; `IMPORTERS[entity]` is the class that plans and writes its rows."""

from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.importers.activities import ActivityImporter
from dealtrack.imports.importers.base import Importer, ImportOptions, MappingError, RowError
from dealtrack.imports.importers.companies import CompanyImporter
from dealtrack.imports.importers.contacts import ContactImporter
from dealtrack.imports.importers.deals import DealImporter
from dealtrack.imports.importers.products import ProductImporter
from dealtrack.imports.importers.users import UserImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportEntity.DEALS: DealImporter,
    ImportEntity.COMPANIES: CompanyImporter,
    ImportEntity.CONTACTS: ContactImporter,
    ImportEntity.ACTIVITIES: ActivityImporter,
    ImportEntity.PRODUCTS: ProductImporter,
    ImportEntity.USERS: UserImporter,
}

__all__ = ["IMPORTERS", "ImportOptions", "Importer", "MappingError", "RowError"]
