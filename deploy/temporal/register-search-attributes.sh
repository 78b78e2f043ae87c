#!/bin/sh
# One-shot job (temporalio/admin-tools): creates the namespace when it is missing (the
# temporalio/server image, unlike the deprecated auto-setup, creates none) and registers Sluice's
# search attributes in it. Idempotent: a namespace or attribute that already exists is left
# alone, so `docker compose up` can run it on every start. Keep the list in step with
# SearchAttributes in the workflows module.
#
#   TEMPORAL_ADDRESS    frontend (default temporal:7233)
#   TEMPORAL_NAMESPACE  namespace (default default)
set -eu

address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
attributes="SluicePipeline SluiceKind SluiceStage SluiceProvider SluiceWindow SluiceProviderJobId"

# The frontend may accept connections before it serves: wait until it reports SERVING (2 min).
tries=0
until temporal operator cluster health --address "$address" 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "Temporal at $address not serving after 120s" >&2
    exit 1
  fi
  sleep 1
done

if temporal operator namespace describe --address "$address" --namespace "$namespace" \
  >/dev/null 2>&1; then
  echo "namespace $namespace: exists"
else
  # Completed runs are kept three days, as the dev server keeps them.
  temporal operator namespace create --address "$address" --namespace "$namespace" \
    --retention 72h
  echo "namespace $namespace: created"
fi

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
