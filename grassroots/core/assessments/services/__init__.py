"""Actions of the assessments app, one module per concern: reports (述职评议), inspections (督察整改), schemes
(考核方案与计算), people (派驻机构考评、网格干部评价). Every function is keyword-only and atomic; permissions
are checked here (PermissionDenied), rules too (ValidationError with Chinese messages keyed by field)."""
