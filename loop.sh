#!/usr/bin/env bash
echo "loop.sh $VERSION"
exec sleep "$1"
