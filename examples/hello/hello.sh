#!/bin/sh
cat /etc/build-info
