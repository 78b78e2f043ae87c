#!/bin/sh
# One-shot job (temporalio/admin-tools): registers Sluice's search attributes in the namespace.
# Idempotent: an attribute that already exists is left alone, so `docker compose up` can run it
# on every start. Keep the list in step with SearchAttributes in the workflows module.
#
#   TEMPORAL_ADDRESS    frontend (default temporal:7233)
#   TEMPORAL_NAMESPACE  namespace (default default)
set -eu

address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
attributes="SluicePipeline SluiceKind SluiceStage SluiceProvider SluiceWindow SluiceProviderJobId"

# The server reports healthy before auto-setup has created the namespace: wait for it (2 min).
tries=0
until temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "namespace '$namespace' not found at $address after 120s" >&2
    exit 1
  fi
  sleep 1
done

existing="$(temporal operator search-attribute list --address "$address" --namespace "$namespace")"
for name in $attributes; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name: already registered"
  else
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type Keyword
    echo "search attribute $name: registered (Keyword)"
  fi
done
