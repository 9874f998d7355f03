#!/bin/sh
# LocalStack init hook (READY stage, /etc/localstack/init/ready.d): creates the plugin daemon's bucket so that
# `seed`, `dbintegrity` and the daemon find it. The daemon would create it itself (docs/daemon/storage.md#settings), dbintegrity never does.
set -eu
bucket="${PLUGIN_STORAGE_OSS_BUCKET:-dify-plugins}"
if awslocal s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
  echo "bucket $bucket already exists"
else
  awslocal s3api create-bucket --bucket "$bucket" >/dev/null
  echo "created bucket $bucket"
fi
