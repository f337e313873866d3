package export_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
)

// soffice is LibreOffice's command, or "" (the test then skips, unless
// ZS_REQUIRE_SOFFICE=1 as in CI, where it fails).
func soffice(t *testing.T) string {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ZS_REQUIRE_SOFFICE") == "1" {
		t.Fatal("LibreOffice (soffice) is required here: apt-get install libreoffice-calc-nogui")
	}
	t.Skip("LibreOffice (soffice) not installed")
	return ""
}

// resave opens file in LibreOffice and saves it as format ("xlsx" or
// "csv", UTF-8, comma-separated), as an officer does who opens an export,
// looks at it and saves it.
func resave(t *testing.T, bin, name string, data []byte, format string) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in", name)
	_ = os.MkdirAll(filepath.Dir(in), 0o755)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	target := format
	if format == "csv" {
		target = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "out")
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", target, "--outdir", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, b)
	}
	base := name[:len(name)-len(filepath.Ext(name))] + "." + format
	b, err := os.ReadFile(filepath.Join(out, base))
	if err != nil {
		t.Fatalf("soffice wrote no %s: %v", base, err)
	}
	return b
}

// TestLibreOfficeResavedExportsReimportUnchanged: every kind's export,
// opened and saved again by LibreOffice — as .xlsx and as .csv — and
// imported back (dry run, as an admin) changes no record: every row is
// "unchanged". LibreOffice rewrites the workbook its own way (shared
// strings, number formats, dates as serial numbers with a date style), so
// this is the round trip users make, not only our writer's.
func TestLibreOfficeResavedExportsReimportUnchanged(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds the demo data and runs LibreOffice")
	}
	bin := soffice(t)
	a := testapp.Seeded(t)
	ctx := context.Background()
	for _, kind := range platform.ExportKinds {
		t.Run(kind, func(t *testing.T) {
			run, err := a.P.Exporter(kind, core.AllUnits, nil)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			n, err := run(ctx, &buf)
			if err != nil || n == 0 {
				t.Fatalf("export: %d rows, %v", n, err)
			}
			for _, format := range []string{"xlsx", "csv"} {
				file := resave(t, bin, kind+".xlsx", buf.Bytes(), format)
				name := kind + "." + format
				rep := dryImport(t, a, kind, name, file)
				if rep.Rows != n || rep.Unchanged != rep.Rows {
					t.Errorf("%s (%d rows exported) resaved by LibreOffice and re-imported: %s", name, n, counts(rep))
					for _, o := range rep.Outcomes[:min(len(rep.Outcomes), 400)] {
						if o.Action == batch.ActUpdate {
							t.Logf("  row %d %s: %s", o.Row, o.Name, o.Message)
							break
						}
					}
				} else {
					t.Logf("%s: %d rows resaved by LibreOffice, all unchanged", name, rep.Rows)
				}
			}
		})
	}
}
