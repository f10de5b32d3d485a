"""factory_boy factories, one place for every test."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from missions.models import (
    Component,
    Membership,
    MembershipRole,
    Mission,
    MissionKind,
    Period,
    Region,
)
from missions.roles import ANALYST_GROUP

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class AnalystFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def analyst_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])


class AdministratorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"M{n:03d}")
    name = factory.LazyAttribute(lambda m: f"Test mission {m.code}")
    kind = MissionKind.PEACEKEEPING
    region = Region.AFRICA
    is_demo = False


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("year", "quarter")

    year = 2026
    quarter = 3
    opens_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 3 * p.quarter - 2, 1))
    closes_on = factory.LazyAttribute(
        lambda p: datetime.date(p.year, 3 * p.quarter, 30 if p.quarter in (2, 3) else 31)
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    mission = factory.SubFactory(MissionFactory)
    role = MembershipRole.RESPONDENT
    component = Component.POLITICAL
