// Renders a Helm chart as `helm template` does, for tests/unit/helm-chart.test.ts: Go's
// text/template with the sprig functions and Helm's own (include, tpl, required, toYaml,
// toJson, fromYaml, lookup), values from values.yaml with overrides merged over them,
// missing keys rendering empty. Helm itself is not installable on these machines (it is
// not packaged by Debian 12 and downloads need the internet); this is its template engine
// built from the same libraries (golang-go, golang-github-masterminds-sprig-dev,
// golang-k8s-sigs-yaml-dev).
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run tests/helm/render.go CHART RELEASE NAMESPACE [OVERRIDES.json]
//
// Prints {"files": {"<chart>/templates/<file>": "<rendered text>"}} or fails naming the template.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 4 {
		fail(errors.New("usage: render CHART RELEASE NAMESPACE [OVERRIDES.json]"))
	}
	chartDir, release, namespace := os.Args[1], os.Args[2], os.Args[3]
	meta := map[string]interface{}{}
	must(readYaml(filepath.Join(chartDir, "Chart.yaml"), &meta))
	values := map[string]interface{}{}
	must(readYaml(filepath.Join(chartDir, "values.yaml"), &values))
	if len(os.Args) > 4 {
		overrides := map[string]interface{}{}
		text, err := os.ReadFile(os.Args[4])
		must(err)
		must(json.Unmarshal(text, &overrides))
		values = merge(values, overrides)
	}
	name := fmt.Sprint(meta["name"])
	chart := map[string]interface{}{}
	for key, value := range meta { // Helm exposes Chart.yaml's fields capitalized: .Chart.AppVersion
		chart[strings.ToUpper(key[:1])+key[1:]] = value
	}
	chart["APIVersion"] = meta["apiVersion"]

	t := template.New("chart").Option("missingkey=zero")
	t.Funcs(funcs(t))
	files, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	must(err)
	sort.Strings(files)
	var names []string
	for _, file := range files {
		text, err := os.ReadFile(file)
		must(err)
		tname := name + "/templates/" + filepath.Base(file)
		if _, err := t.New(tname).Parse(string(text)); err != nil {
			fail(err)
		}
		if !strings.HasPrefix(filepath.Base(file), "_") {
			names = append(names, tname)
		}
	}
	out := map[string]string{}
	for _, tname := range names {
		top := map[string]interface{}{
			"Values":       values,
			"Chart":        chart,
			"Release":      map[string]interface{}{"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
			"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.30.0", "Major": "1", "Minor": "30"}},
			"Template":     map[string]interface{}{"Name": tname, "BasePath": name + "/templates"},
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tname, top); err != nil {
			fail(err)
		}
		out[tname] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	must(json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"files": out}))
}

// Helm's functions over sprig's (without env and expandenv, as Helm removes them).
func funcs(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = parsed.Execute(&buf, data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	f["required"] = func(message string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return v, errors.New(message)
		}
		return v, nil
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil // as `helm template`: no cluster to look in
	}
	return f
}

// Values merged as Helm coalesces them: maps deeply, anything else replaced; null removes.
func merge(base, over map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
			continue
		}
		if sub, ok := v.(map[string]interface{}); ok {
			if baseSub, ok := out[k].(map[string]interface{}); ok {
				out[k] = merge(baseSub, sub)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func readYaml(path string, into interface{}) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(text, into)
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
