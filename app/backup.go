package main

// zhaoshang backup --out F / zhaoshang restore --in F: the file format,
// its consistency and the restore's safety are in app/backup.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"zhaoshang/app/backup"
	"zhaoshang/app/platform"
)

func cmdBackup(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "backup file to write (.tar.gz)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef("用法：zhaoshang backup --out 文件")
	}
	start := time.Now()
	m, err := backup.Write(ctx, platform.ConfigFromEnv(), *out, log)
	if err != nil {
		return backupUsage(err)
	}
	st, _ := os.Stat(*out)
	docs := int64(0)
	for _, c := range m.Collections {
		docs += c.Count
	}
	consistency := "整库快照"
	if m.Consistency != "snapshot" {
		consistency = "逐文档（该 MongoDB 不支持快照读）"
	}
	fmt.Printf("已备份 %d 个集合 %d 条文档、%d 个附件到 %s（%.1f MB，用时 %.1f 秒，一致性：%s）\n",
		len(m.Collections), docs, len(m.Files), *out, float64(st.Size())/(1<<20), time.Since(start).Seconds(), consistency)
	return nil
}

func cmdRestore(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	in := fs.String("in", "", "backup file written by zhaoshang backup")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *in == "" || fs.NArg() > 0 {
		return usagef("用法：zhaoshang restore --in 文件（恢复到空的 ZS_DATA）")
	}
	start := time.Now()
	m, err := backup.Restore(ctx, platform.ConfigFromEnv(), *in, log, func(s string) { fmt.Fprint(os.Stderr, s) })
	if err != nil {
		return backupUsage(err)
	}
	docs := int64(0)
	for _, c := range m.Collections {
		docs += c.Count
	}
	fmt.Printf("已恢复 %d 个集合 %d 条文档、%d 个附件（备份时间 %s），搜索索引已重建，用时 %.1f 秒\n",
		len(m.Collections), docs, len(m.Files), m.CreatedAt.Local().Format("2006-01-02 15:04:05"), time.Since(start).Seconds())
	return nil
}

// backupUsage turns the package's bad-input errors (a wrong path, a
// non-empty ZS_DATA, an unusable file) into exit code 2.
func backupUsage(err error) error {
	var ie backup.InputError
	if errors.As(err, &ie) {
		return usagef("%s", ie.Msg)
	}
	return err
}
