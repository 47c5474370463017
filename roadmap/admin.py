from django.contrib import admin

from . import models as m


class ContentAdmin(admin.ModelAdmin):
    list_filter = ["is_active"]
    search_fields = ["key"]
    readonly_fields = ["key"]  # keys are forever: change them in seeds/, never here


class GoalInline(admin.TabularInline):
    model = m.Goal
    fields = ["order", "key", "title", "is_active"]
    extra = 0


class ResourceInline(admin.TabularInline):
    model = m.Resource
    fields = ["order", "key", "title", "kind", "url", "is_active"]
    extra = 0


class MilestoneInline(admin.StackedInline):
    model = m.Milestone
    fields = ["key", "text", "evidence_hint", "is_active"]
    extra = 0


@admin.register(m.Roadmap)
class RoadmapAdmin(ContentAdmin):
    list_display = ["title", "key", "plan_months", "is_active"]
    search_fields = ["key", "title"]


@admin.register(m.Phase)
class PhaseAdmin(ContentAdmin):
    list_display = ["order", "title", "weeks", "key", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title"]
    inlines = [GoalInline, ResourceInline, MilestoneInline]


@admin.register(m.Goal)
class GoalAdmin(ContentAdmin):
    list_display = ["title", "phase", "key", "is_active"]
    list_filter = ["is_active", "phase"]
    search_fields = ["key", "title"]


@admin.register(m.Resource)
class ResourceAdmin(ContentAdmin):
    list_display = ["title", "kind", "phase", "url", "is_active"]
    list_filter = ["is_active", "kind", "phase"]
    search_fields = ["key", "title", "url"]


@admin.register(m.Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["text", "phase", "is_active"]
    list_filter = ["is_active", "phase"]
    search_fields = ["key", "text"]


class DimensionInline(admin.TabularInline):
    model = m.Dimension
    fields = ["order", "key", "name", "is_active"]
    extra = 0


@admin.register(m.Rubric)
class RubricAdmin(ContentAdmin):
    list_display = ["title", "strong_min_score", "strong_min_dimensions", "is_active"]
    inlines = [DimensionInline]


@admin.register(m.Dimension)
class DimensionAdmin(ContentAdmin):
    list_display = ["order", "name", "key", "is_active"]
    list_display_links = ["name"]
    search_fields = ["key", "name"]


@admin.register(m.RubricItem)
class RubricItemAdmin(ContentAdmin):
    list_display = ["kind", "order", "title", "text", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["key", "title", "text"]


@admin.register(m.SkillDomain)
class SkillDomainAdmin(ContentAdmin):
    list_display = ["title", "key", "is_active"]
    search_fields = ["key", "title"]


@admin.register(m.Skill)
class SkillAdmin(ContentAdmin):
    list_display = ["name", "tier", "domain", "dimension", "is_active"]
    list_filter = ["is_active", "tier", "domain", "dimension"]
    search_fields = ["key", "name", "description"]
    filter_horizontal = ["phases"]


@admin.register(m.Question)
class QuestionAdmin(ContentAdmin):
    list_display = ["text", "level", "kind", "phase", "dimension", "is_active"]
    list_filter = ["is_active", "level", "kind", "phase", "dimension", "source"]
    search_fields = ["key", "text", "model_answer"]
    filter_horizontal = ["skills"]


@admin.register(m.CareerLevel)
class CareerLevelAdmin(ContentAdmin):
    list_display = ["order", "title", "years", "salary_min", "salary_max", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title"]


@admin.register(m.SalaryBand)
class SalaryBandAdmin(ContentAdmin):
    list_display = ["region", "seniority", "salary_min", "salary_max", "currency", "period"]
    list_filter = ["is_active", "region", "period", "source"]
    search_fields = ["key", "region", "seniority"]


@admin.register(m.Background)
class BackgroundAdmin(ContentAdmin):
    list_display = ["name", "ramp_up_min_months", "ramp_up_max_months", "is_active"]
    search_fields = ["key", "name"]
    filter_horizontal = ["fast_track_phases", "credit_goals"]


@admin.register(m.Role)
class RoleAdmin(ContentAdmin):
    list_display = ["order", "title", "salary_min", "salary_max", "currency", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title", "focus"]


@admin.register(m.RolePath)
class RolePathAdmin(ContentAdmin):
    list_display = ["background", "role", "directness", "is_active"]
    search_fields = ["key", "text"]


@admin.register(m.PayRange)
class PayRangeAdmin(ContentAdmin):
    list_display = ["title", "kind", "salary_min", "salary_max", "open_ended", "is_active"]
    list_filter = ["is_active", "kind", "source"]
    search_fields = ["key", "title", "text"]


@admin.register(m.MarketFact)
class MarketFactAdmin(ContentAdmin):
    list_display = ["title", "kind", "figure", "source", "is_active"]
    list_filter = ["is_active", "kind", "source"]
    search_fields = ["key", "title", "text"]


@admin.register(m.TechCategory)
class TechCategoryAdmin(ContentAdmin):
    list_display = ["order", "title", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title"]


class HiringRoundInline(admin.StackedInline):
    model = m.HiringRound
    extra = 0


@admin.register(m.HiringProcess)
class HiringProcessAdmin(ContentAdmin):
    list_display = ["order", "title", "source", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title"]
    inlines = [HiringRoundInline]


@admin.register(m.LabScenario)
class LabScenarioAdmin(ContentAdmin):
    list_display = ["order", "title", "source", "is_active"]
    list_display_links = ["title"]
    search_fields = ["key", "title"]
