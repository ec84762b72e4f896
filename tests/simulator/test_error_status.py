"""Every CloudFront error the simulator can return has the HTTP status of botocore's error shape.

The error classes are found, not listed: every CloudFront exception class a simulator module
holds (its own in simulator.exceptions, and moto's that it imports). Each is raised inside one
operation of the running simulator (in-process or served, which runs in this process) and read
back through boto3, so the status a client sees is compared with the model.
"""

from __future__ import annotations

import importlib
import inspect

import botocore.session
import pytest
from botocore.exceptions import ClientError
from moto.cloudfront.exceptions import CloudFrontException

from simulator.responses import SimulatorCloudFrontResponse

MODULES = ("exceptions", "models", "web", "oac", "invalidations", "keys")


def error_classes() -> list[type[CloudFrontException]]:
    found: dict[str, type[CloudFrontException]] = {}
    for name in MODULES:
        module = importlib.import_module(f"simulator.{name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, CloudFrontException)
                and value is not CloudFrontException
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def instance(cls: type[CloudFrontException]) -> CloudFrontException:
    # moto's classes take the fields of their message (DistributionAlreadyExists: an id).
    needed = [
        p
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    return cls(*["E2QWRUHAPOMQZL"] * len(needed))


MODEL = botocore.session.get_session().get_service_model("cloudfront")
CLASSES = error_classes()


def test_the_simulator_has_error_classes_to_check():
    codes = {instance(cls).code for cls in CLASSES}
    assert {"NoSuchDistribution", "PreconditionFailed", "CNAMEAlreadyExists"} <= codes


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_error_has_the_status_of_its_shape(cf, monkeypatch, cls):
    error = instance(cls)
    shape = MODEL.shape_for(error.code)  # raises if botocore has no such shape
    status = shape.metadata["error"]["httpStatusCode"]

    def fail(self):
        raise error

    operation = "list_cloud_front_origin_access_identities"
    monkeypatch.setattr(SimulatorCloudFrontResponse, operation, fail)
    with pytest.raises(ClientError) as caught:
        cf.list_cloud_front_origin_access_identities()
    response = caught.value.response
    assert response["Error"]["Code"] == error.code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
