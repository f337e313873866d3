package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
	"zhaoshang/search"
)

// openFor opens the platform for a command. On a data dir that no server
// has started yet, it creates admin just as the first `serve` would.
func openFor(ctx context.Context, role string, log *slog.Logger) (*platform.Platform, error) {
	p, err := platform.Open(ctx, platform.ConfigFromEnv(), platform.Options{Role: role}, log)
	if err != nil {
		return nil, err
	}
	if err := p.EnsureAdmin(ctx, func(s string) { fmt.Fprintln(os.Stderr, s) }); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func cmdReindex(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	p, err := openFor(ctx, "reindex", log)
	if err != nil {
		return err
	}
	defer p.Close()
	start := time.Now()
	done := map[search.Kind]int{}
	bar := func(kind search.Kind, n int) {
		done[kind] = n
		total := 0
		for _, x := range done {
			total += x
		}
		fmt.Fprintf(os.Stderr, "\r重建索引（旧索引继续服务）%-12s %7d 条，合计 %7d 条", kind, n, total)
	}
	if p.Swap != nil {
		err = p.Reindex(ctx, bar)
	} else {
		// The running server owns the embedded index: it rebuilds aside
		// and swaps; we show its progress.
		err = awaitServerReindex(ctx, p, bar)
	}
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range done {
		total += n
	}
	fmt.Printf("已重建搜索索引并切换：%d 条记录，用时 %.1f 秒\n", total, time.Since(start).Seconds())
	return nil
}

func awaitServerReindex(ctx context.Context, p *platform.Platform, bar func(search.Kind, int)) error {
	if err := p.RequestReindex(ctx, "command line"); err != nil {
		if errors.Is(err, search.ErrRebuildRunning) {
			return usagef("服务进程正在重建索引，请稍后再试")
		}
		return err
	}
	shown := map[string]int{}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		j, err := p.ReindexStatus(ctx)
		if err != nil {
			return err
		}
		if j == nil {
			return errors.New("the reindex request disappeared")
		}
		for k, n := range j.Done {
			if shown[k] != n {
				shown[k] = n
				bar(k, n)
			}
		}
		switch j.State {
		case "done":
			return nil
		case "failed":
			return fmt.Errorf("服务进程重建索引失败（旧索引继续服务）：%s", j.Error)
		case "requested":
			if time.Since(j.Requested) > 30*time.Second {
				return errors.New("服务进程 30 秒内未响应重建请求（它会在下次启动时处理）")
			}
		}
	}
}

func cmdUser(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("用法：zhaoshang user add --name U --role R [--unit X[,Y]] [--display 姓名]")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	name := fs.String("name", "", "user name (login)")
	role := fs.String("role", "", "admin, manager, officer or field")
	unit := fs.String("unit", "", "unit id(s), comma separated")
	display := fs.String("display", "", "display name (姓名)")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v", err)
	}
	if *name == "" || *role == "" {
		return usagef("--name 和 --role 必填")
	}
	pw, err := readPassword()
	if err != nil {
		return err
	}
	p, err := openFor(ctx, "user", log)
	if err != nil {
		return err
	}
	defer p.Close()
	var units []string
	for _, u := range strings.Split(*unit, ",") {
		if u = strings.TrimSpace(u); u != "" {
			units = append(units, u)
		}
	}
	got, err := p.Users.Create(ctx, core.Actor{User: "cli"}, p.Matrix, users.NewUser{Username: *name, Name: *display,
		Role: *role, Units: units, Password: pw})
	if fe, ok := core.AsFieldError(err); ok {
		return usagef("--%s: %s", cliFlag(fe.Field), fe.Message)
	}
	if err != nil {
		return err
	}
	if pw == "" {
		fmt.Printf("已创建用户 %s，初始密码（只显示这一次）：%s\n", strings.ToLower(*name), got)
	} else {
		fmt.Printf("已创建用户 %s\n", strings.ToLower(*name))
	}
	return nil
}

func cliFlag(field string) string {
	switch field {
	case "username":
		return "name"
	case "units":
		return "unit"
	}
	return field
}

// readPassword reads one line from stdin when it is not a terminal.
func readPassword() (string, error) {
	st, err := os.Stdin.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice != 0 {
		return "", nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", nil
	}
	return strings.TrimRight(line, "\r\n"), nil
}
