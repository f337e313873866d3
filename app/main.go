// Command zhaoshang is the technology-investment promotion platform: one
// binary that serves the web app and runs the maintenance commands.
//
//	zhaoshang [serve]                         serve HTTP on ZS_ADDR
//	zhaoshang seed --demo [--scale N]         load the demo data set
//	zhaoshang reindex                         rebuild the search index from Mongo
//	zhaoshang user add --name U --role R [--unit X[,Y]] [--display 姓名]
//	zhaoshang import --kind projects --file F --dry-run [--json] [--as USER]
//	zhaoshang export --kind K --out F [--q ..] [--stage ..] [--unit ..] [--as USER]
//	zhaoshang export --template --kind K --out F  the kind's import template
//	zhaoshang backup --out F                  snapshot the store and attachments to F
//	zhaoshang restore --in F                  restore F into an empty ZS_DATA
//
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input, 3 import with
// rejected rows.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `用法 / usage:
  zhaoshang [serve]                                 启动 Web 服务（ZS_ADDR，默认 127.0.0.1:8080）
  zhaoshang seed --demo [--scale N]                 载入演示数据（可重复运行，不会重复写入）
  zhaoshang reindex                                 从 MongoDB 重建搜索索引
  zhaoshang user add --name U --role R [--unit X]   新建用户（密码从标准输入读取，或自动生成并显示一次）
  zhaoshang import --kind projects --file F --dry-run [--json] [--as USER]
                                                    预览导入台账（本版本只支持项目、只预览不写入）
  zhaoshang export --kind K --out F [--q 词] [--stage S] [--unit U] [--industry I] [--as USER]
                                                    按列表筛选导出 .xlsx（K: projects events talents enterprises institutes results policies）
  zhaoshang export --template --kind K --out F      写出该类型的导入模板 .xlsx（与导入页下载的模板相同）
  zhaoshang backup --out F                          备份数据库与附件到一个文件（服务运行时也可，整库快照）
  zhaoshang restore --in F                          从备份恢复到空的 ZS_DATA（校验后写入，并重建搜索索引）
环境变量：ZS_ADDR ZS_DATA MONGO_URI MONGO_DB MEILI_URL MEILI_KEY ZS_ADMIN_PASSWORD ZS_SECURE_COOKIES ZS_LOG_FORMAT
`

// commands are the subcommands by name (usage lists them).
var commands = map[string]func(ctx context.Context, args []string, log *slog.Logger) error{
	"serve": cmdServe, "seed": cmdSeed, "reindex": cmdReindex, "user": cmdUser, "import": cmdImport,
	"backup": cmdBackup, "restore": cmdRestore, "export": cmdExport,
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	log := newLogger()
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch command, ok := commands[cmd]; {
	case ok:
		err = command(ctx, args, log)
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Print(usage)
		return 0
	default:
		err = usagef("未知命令 %q\n%s", cmd, usage)
	}
	var ue usageError
	var ec exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ec):
		return int(ec)
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "zhaoshang:", ue.msg)
		return 2
	default:
		fmt.Fprintln(os.Stderr, "zhaoshang:", oneLine(err))
		return 1
	}
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func newLogger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if os.Getenv("ZS_LOG_LEVEL") == "debug" {
		opts.Level = slog.LevelDebug
	}
	if os.Getenv("ZS_LOG_FORMAT") == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
