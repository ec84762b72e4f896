"""A simulated world with one of every resource a state file keeps, built and read through
boto3 only (for tests/simulator/test_state.py and test_serve_cli.py)."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ACL_BUCKET = "legacy-media"  # ACLs enabled: the seed's per-object grant
NEW_BUCKET = "new-media"  # as S3 makes a bucket today
KEY = "videos/intro.mp4"


def public_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def web_config(reference: str, *, oac_id: str = "", key_group: str = "") -> dict:
    behaviour: dict = {
        "TargetOriginId": "media",
        "ViewerProtocolPolicy": "redirect-to-https",
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
    }
    if key_group:
        behaviour["TrustedKeyGroups"] = {"Enabled": True, "Quantity": 1, "Items": [key_group]}
    origin: dict = {
        "Id": "media",
        "DomainName": f"{NEW_BUCKET}.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    if oac_id:
        origin["OriginAccessControlId"] = oac_id
    return {
        "CallerReference": reference,
        "Comment": "modern",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": behaviour,
    }


def build(cf, s3, acm=None, route53=None) -> dict:
    """Every kind of resource, some InProgress, some changed since created; returns their IDs."""
    s3.create_bucket(Bucket=NEW_BUCKET)
    s3.put_object(Bucket=NEW_BUCKET, Key=KEY, Body=b"modern frames", ContentType="video/mp4")
    s3.put_object(Bucket=NEW_BUCKET, Key="big.bin", Body=b"x" * 3_000_000)
    s3.create_bucket(Bucket=ACL_BUCKET, ObjectOwnership="ObjectWriter")
    s3.put_object(Bucket=ACL_BUCKET, Key=KEY, Body=bytes(range(256)) * 4, Metadata={"a": "b"})

    oai = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai-1", "Comment": "legacy"}
    )["CloudFrontOriginAccessIdentity"]
    acl = s3.get_object_acl(Bucket=ACL_BUCKET, Key=KEY)
    grant = {
        "Grantee": {"Type": "CanonicalUser", "ID": oai["S3CanonicalUserId"]},
        "Permission": "READ",
    }
    s3.put_object_acl(
        Bucket=ACL_BUCKET,
        Key=KEY,
        AccessControlPolicy={"Owner": acl["Owner"], "Grants": [*acl["Grants"], grant]},
    )
    streaming = cf.create_streaming_distribution_with_tags(
        StreamingDistributionConfigWithTags={
            "StreamingDistributionConfig": {
                "CallerReference": "sd-1",
                "S3Origin": {
                    "DomainName": f"{ACL_BUCKET}.s3.amazonaws.com",
                    "OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai['Id']}",
                },
                "Aliases": {"Quantity": 1, "Items": ["cf.example.com"]},
                "Comment": "lectures",
                "TrustedSigners": {"Enabled": True, "Quantity": 1, "Items": ["self"]},
                "Enabled": True,
            },
            "Tags": {"Items": [{"Key": "team", "Value": "video"}]},
        }
    )["StreamingDistribution"]
    s3.put_bucket_policy(
        Bucket=ACL_BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {
                            "AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access "
                            f"Identity {oai['Id']}"
                        },
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{ACL_BUCKET}/*",
                    }
                ],
            }
        ),
    )

    oac = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "modern-oac",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )
    oac_id = oac["OriginAccessControl"]["Id"]
    cf.update_origin_access_control(  # a second version: its ETag is not the first
        Id=oac_id,
        IfMatch=oac["ETag"],
        OriginAccessControlConfig={
            "Name": "modern-oac",
            "Description": "reads new-media",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        },
    )
    key_id = cf.create_public_key(
        PublicKeyConfig={
            "CallerReference": "pk-1",
            "Name": "viewers",
            "EncodedKey": public_key_pem(),
            "Comment": "2026",
        }
    )["PublicKey"]["Id"]
    group_id = cf.create_key_group(KeyGroupConfig={"Name": "viewers", "Items": [key_id]})[
        "KeyGroup"
    ]["Id"]
    dist = cf.create_distribution(
        DistributionConfig=web_config("web-1", oac_id=oac_id, key_group=group_id)
    )["Distribution"]
    invalidation = cf.create_invalidation(
        DistributionId=dist["Id"],
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/videos/*"]},
            "CallerReference": "i",
        },
    )["Invalidation"]
    ids = {
        "oai": oai["Id"],
        "streaming": streaming["Id"],
        "oac": oac_id,
        "key": key_id,
        "group": group_id,
        "dist": dist["Id"],
        "invalidation": invalidation["Id"],
    }
    if acm is not None:
        ids["certificate"] = acm.request_certificate(
            DomainName="cdn.example.com", ValidationMethod="DNS"
        )["CertificateArn"]
    if route53 is not None:
        zone = route53.create_hosted_zone(Name="example.com.", CallerReference="zone-1")
        ids["zone"] = zone["HostedZone"]["Id"]
        route53.change_resource_record_sets(
            HostedZoneId=ids["zone"],
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "CREATE",
                        "ResourceRecordSet": {
                            "Name": "cf.example.com.",
                            "Type": "CNAME",
                            "TTL": 300,
                            "ResourceRecords": [{"Value": streaming["DomainName"]}],
                        },
                    }
                ]
            },
        )
    return ids


def _answer(response: dict) -> dict:
    response = dict(response)
    response.pop("ResponseMetadata", None)
    if "Body" in response:
        response["Body"] = response["Body"].read()
    return response


def read(cf, s3, ids: dict, acm=None, route53=None) -> dict:
    """What boto3 reads of every resource `build` made: IDs, ETags, statuses, times, ACL
    grants, policies, ownership, Block Public Access, bodies."""
    seen: dict = {"buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]]}
    for bucket in (NEW_BUCKET, ACL_BUCKET):
        objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
        seen[bucket] = {
            "objects": objects,
            "ownership": _answer(s3.get_bucket_ownership_controls(Bucket=bucket)),
            "block": _answer(s3.get_public_access_block(Bucket=bucket)),
            "acl": _answer(s3.get_bucket_acl(Bucket=bucket)),
            "bodies": {
                o["Key"]: _answer(s3.get_object(Bucket=bucket, Key=o["Key"])) for o in objects
            },
            "object_acls": {
                o["Key"]: _answer(s3.get_object_acl(Bucket=bucket, Key=o["Key"])) for o in objects
            },
        }
    seen["policy"] = json.loads(s3.get_bucket_policy(Bucket=ACL_BUCKET)["Policy"])
    seen["oai"] = _answer(cf.get_cloud_front_origin_access_identity(Id=ids["oai"]))
    seen["oais"] = _answer(cf.list_cloud_front_origin_access_identities())
    seen["streaming"] = _answer(cf.get_streaming_distribution(Id=ids["streaming"]))
    seen["streaming_list"] = _answer(cf.list_streaming_distributions())
    seen["oac"] = _answer(cf.get_origin_access_control(Id=ids["oac"]))
    seen["key"] = _answer(cf.get_public_key(Id=ids["key"]))
    seen["group"] = _answer(cf.get_key_group(Id=ids["group"]))
    seen["dist"] = _answer(cf.get_distribution(Id=ids["dist"]))
    seen["dist_list"] = _answer(cf.list_distributions())
    seen["invalidation"] = _answer(
        cf.get_invalidation(DistributionId=ids["dist"], Id=ids["invalidation"])
    )
    for name, member in (("streaming", "StreamingDistribution"), ("dist", "Distribution")):
        arn = seen[name][member]["ARN"]
        seen[f"{name}_tags"] = _answer(cf.list_tags_for_resource(Resource=arn))
    if acm is not None:
        seen["certificate"] = _answer(acm.describe_certificate(CertificateArn=ids["certificate"]))
    if route53 is not None:
        seen["zone"] = _answer(route53.get_hosted_zone(Id=ids["zone"]))
        seen["records"] = _answer(route53.list_resource_record_sets(HostedZoneId=ids["zone"]))
    return seen
