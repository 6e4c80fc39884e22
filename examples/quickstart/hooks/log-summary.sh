#!/bin/sh
# $1 event, $2 environment, $3 summary (also in MCP_GITOPS_* variables).
echo "mcp-gitops $1 in $2: $3"
