def test_s3_round_trip(s3):
    s3.create_bucket(Bucket="my-video-bucket")
    s3.put_object(Bucket="my-video-bucket", Key="a.mp4", Body=b"x")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="my-video-bucket")["Contents"]]
    assert keys == ["a.mp4"]
