#!/usr/bin/env python3
"""Adds the operations Snag's fakes need beyond the shared subsets, cut the same way the
subsets were: the operation object copied unchanged, then every `#/components/...` it
references, transitively.

    python3 add_operations.py SHARED_SPECS FULL_JIRA_JSON FULL_GITHUB_JSON

FULL_JIRA_JSON: Atlassian's swagger-v3.v3.json (copy of 2025-12-25 in GitHub repo
jarekbird/jira-api-mcp-wrapper). FULL_GITHUB_JSON: generated/api.github.com.json from npm
@octokit/openapi 23.0.2.
"""
import json
import sys

ADD = {
    "jira": [("/rest/api/3/search/jql", "post")],
    "github": [("/repos/{owner}/{repo}/issues", "get")],
}


def refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def extend(subset, full, operations):
    for path, method in operations:
        item = subset["paths"].setdefault(path, {})
        if "parameters" in full["paths"][path] and "parameters" not in item:
            item["parameters"] = full["paths"][path]["parameters"]
        item[method] = full["paths"][path][method]
    todo = set()
    refs(subset["paths"], todo)
    seen = set()
    while todo:
        ref = todo.pop()
        if ref in seen or not ref.startswith("#/components/"):
            continue
        seen.add(ref)
        _, _, section, name = ref.split("/", 3)
        component = full["components"][section][name]
        subset["components"].setdefault(section, {})[name] = component
        refs(component, todo)


def main(shared, full_jira, full_github):
    for service, full_path in (("jira", full_jira), ("github", full_github)):
        with open(f"{shared}/{service}/openapi-subset.json") as f:
            subset = json.load(f)
        with open(full_path) as f:
            full = json.load(f)
        extend(subset, full, ADD[service])
        with open(f"{service}/openapi-subset.json", "w") as f:
            json.dump(subset, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
