// Command load drives a real zhaoshang server with concurrent signed-in
// users (issue 8): it starts the binary on a loopback port with demo data,
// measures the cold start and idle RSS, then runs N users for a bounded
// time mixing list, kanban, search, project edits and stage moves, and
// checks that no acknowledged write was lost. Only 127.0.0.1 is contacted.
//
//	go build -o /tmp/zhaoshang ./app && go run ./bench/load -bin /tmp/zhaoshang
//
// MONGO_URI / MEILI_URL in the environment are passed to the server, so the
// same run measures a real MongoDB and Meilisearch.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"zhaoshang/bench/procstat"
)

const adminPassword = "Admin-2025x"

func main() {
	bin := flag.String("bin", "", "zhaoshang binary (go build -o … ./app)")
	users := flag.Int("users", 50, "concurrent signed-in users")
	dur := flag.Duration("duration", 60*time.Second, "load duration")
	scale := flag.Int("scale", 1, "demo data scale")
	keep := flag.String("data", "", "data dir (default: a fresh temp dir, removed at the end)")
	flag.Parse()
	if *bin == "" || *users < 1 || *users > 500 || *dur <= 0 || *dur > 30*time.Minute {
		fmt.Fprintln(os.Stderr, "load: -bin required; 1 ≤ -users ≤ 500; 0 < -duration ≤ 30m")
		os.Exit(2)
	}
	if err := run(*bin, *users, *dur, *scale, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type server struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func start(bin, dir string, args ...string) (*server, time.Duration, error) {
	addr, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), "ZS_ADDR="+addr, "ZS_DATA="+dir, "ZS_ADMIN_PASSWORD="+adminPassword,
		"ZS_LOGIN_PER_MINUTE=100000", "ZS_LOG_LEVEL=warn")
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, logs: logs}
	for time.Since(t0) < 10*time.Minute {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, time.Since(t0), nil
			}
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()
	return nil, 0, fmt.Errorf("server did not become ready: %s", tail(logs.String()))
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// rss returns VmRSS and VmHWM of the server process in MB.
func (s *server) rss() (cur, peak float64) { return procstat.Memory(s.cmd.Process.Pid) }

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// client is one signed-in user.
type client struct {
	name string
	http *http.Client
	base string
	csrf string
}

func login(base, name, password string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{name: name, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	st, body, err := c.do("POST", "/api/v1/auth/login", map[string]string{"username": name, "password": password})
	if err != nil {
		return nil, err
	}
	if st != 200 {
		return nil, fmt.Errorf("login %s: %d %s", name, st, body)
	}
	var r struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	c.csrf = r.CSRF
	return c, nil
}

func (c *client) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// ack is one acknowledged write: the project's state at that version.
type ack struct {
	version int64
	summary string
	stage   string
}

type stats struct {
	mu      sync.Mutex
	lat     map[string][]float64
	status  map[string]map[int]int
	acks    map[string][]ack
	stale   int // deliberate stale writes
	staleOK int // … answered 409
	errs    []string
}

func (s *stats) record(op string, st int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat[op] = append(s.lat[op], float64(d.Microseconds())/1000)
	if s.status[op] == nil {
		s.status[op] = map[int]int{}
	}
	s.status[op][st]++
}

func (s *stats) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) < 50 {
		s.errs = append(s.errs, fmt.Sprintf(format, args...))
	}
}

// inputKeys are the fields of projects.Input (PUT /api/v1/projects/{id}).
var inputKeys = []string{"type", "name", "industry", "zone", "unit", "officer", "summary", "enterprise",
	"credit_code", "enterprise_id", "talent_id", "institute_id", "result_id", "contacts", "investment",
	"registered_capital", "capital_arrived", "source_event", "tags", "action_lines", "next_action",
	"next_due", "milestones"}

var early = []string{"search", "push", "attract"}

func run(bin string, nUsers int, dur time.Duration, scale int, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "zs-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "data")
	}
	host, _ := os.Hostname()
	fmt.Printf("machine: %s, %d cores; store: %s; search: %s\n", host, numCPU(), envOr("MONGO_URI", "embedded FerretDB/SQLite"),
		envOr("MEILI_URL", "embedded Bleve"))

	seedStart := time.Now()
	s, _, err := start(bin, dir, "--demo", strconv.Itoa(scale))
	if err != nil {
		return err
	}
	fmt.Printf("first start with demo seed (scale %d): ready in %.1f s\n", scale, time.Since(seedStart).Seconds())
	s.stop()

	s, cold, err := start(bin, dir)
	if err != nil {
		return err
	}
	defer s.stop()
	fmt.Printf("cold start on the demo data: ready in %.2f s (target < 3 s)\n", cold.Seconds())
	time.Sleep(5 * time.Second)
	idle, _ := s.rss()
	fmt.Printf("RSS at idle: %.0f MB\n", idle)

	admin, err := login(s.url, "admin", adminPassword)
	if err != nil {
		return err
	}
	st, body, err := admin.do("GET", "/api/v1/users?per_page=500", nil)
	if err != nil || st != 200 {
		return fmt.Errorf("list users: %d %v", st, err)
	}
	var ul struct {
		Items []struct {
			ID   string `json:"username"`
			Role string `json:"role"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &ul); err != nil {
		return err
	}
	var names []string
	for _, u := range ul.Items {
		if u.Role == "officer" || u.Role == "manager" {
			names = append(names, u.ID)
		}
	}
	if len(names) == 0 {
		return errors.New("no demo officers")
	}
	clients := make([]*client, nUsers)
	for i := range clients {
		if clients[i], err = login(s.url, names[i%len(names)], "Demo@2025"); err != nil {
			return err
		}
	}
	fmt.Printf("%d users signed in (%d distinct demo accounts); load for %s\n", nUsers, min(nUsers, len(names)), dur)

	stt := &stats{lat: map[string][]float64{}, status: map[string]map[int]int{}, acks: map[string][]ack{}}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var wg sync.WaitGroup
	var peak float64
	go func() {
		for ctx.Err() == nil {
			if _, p := s.rss(); p > peak {
				peak = p
			}
			time.Sleep(500 * time.Millisecond)
		}
	}()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user(ctx, c, rand.New(rand.NewPCG(uint64(i), 7)), stt)
		}()
	}
	wg.Wait()
	_, peakAfter := s.rss()
	peak = max(peak, peakAfter)

	// Verify: every acknowledged write is present, versions never reused.
	lost, checked := 0, 0
	for id, acks := range stt.acks {
		sort.Slice(acks, func(a, b int) bool { return acks[a].version < acks[b].version })
		for i := 1; i < len(acks); i++ {
			if acks[i].version == acks[i-1].version {
				lost++
				stt.fail("project %s: version %d acknowledged twice (lost update)", id, acks[i].version)
			}
		}
		st, body, err := admin.do("GET", "/api/v1/projects/"+id, nil)
		if err != nil || st != 200 {
			stt.fail("reload %s: %d %v", id, st, err)
			continue
		}
		var p struct {
			Version int64  `json:"version"`
			Summary string `json:"summary"`
			Stage   string `json:"stage"`
		}
		json.Unmarshal(body, &p)
		last := acks[len(acks)-1]
		checked++
		if p.Version != last.version || p.Summary != last.summary || p.Stage != last.stage {
			lost++
			stt.fail("project %s: stored v%d %q/%s, last acknowledged v%d %q/%s", id, p.Version, p.Summary, p.Stage,
				last.version, last.summary, last.stage)
		}
	}

	fmt.Printf("\n%-8s %7s %8s %8s %8s   statuses\n", "endpoint", "count", "p50 ms", "p95 ms", "max ms")
	ops := make([]string, 0, len(stt.lat))
	for op := range stt.lat {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	total5xx, total := 0, 0
	for _, op := range ops {
		l := stt.lat[op]
		sort.Float64s(l)
		var parts []string
		codes := make([]int, 0)
		for c := range stt.status[op] {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d×%d", c, stt.status[op][c]))
			if c >= 500 || c == 0 {
				total5xx += stt.status[op][c]
			}
			total += stt.status[op][c]
		}
		fmt.Printf("%-8s %7d %8.1f %8.1f %8.1f   %s\n", op, len(l), l[len(l)/2], l[len(l)*95/100], l[len(l)-1], strings.Join(parts, " "))
	}
	fmt.Printf("\nrequests %d (%.0f/s); 5xx or transport errors: %d\n", total, float64(total)/dur.Seconds(), total5xx)
	fmt.Printf("acknowledged writes on %d projects checked afterwards: %d lost\n", checked, lost)
	fmt.Printf("deliberately stale writes: %d, answered 409: %d\n", stt.stale, stt.staleOK)
	fmt.Printf("RSS peak under load: %.0f MB\n", peak)
	for _, e := range stt.errs {
		fmt.Println("  !", e)
	}
	if total5xx > 0 || lost > 0 || stt.staleOK != stt.stale {
		return errors.New("FAILED: 5xx, lost updates or stale writes accepted")
	}
	fmt.Println("OK: zero 5xx, zero lost updates, every stale version rejected with 409")
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return "set (" + k + ")"
	}
	return def
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(strings.Count(string(b), "processor\t:"), 1)
}

var queries = []string{"智能装备", "新能源", "传感器", "生物医药", "机器人", "新材料", "芯片", "储能"}

// user is one user's loop: mostly reads, some writes on projects of their
// own scope (taken from their own list).
func user(ctx context.Context, c *client, r *rand.Rand, s *stats) {
	var mine []string
	timed := func(op, method, path string, body any) (int, []byte) {
		t0 := time.Now()
		st, b, err := c.do(method, path, body)
		if ctx.Err() != nil && err != nil {
			return -1, nil // the run ended mid-request
		}
		s.record(op, st, time.Since(t0))
		if err != nil {
			s.fail("%s %s %s: %v", c.name, method, path, err)
		} else if st >= 500 {
			s.fail("%s %s %s: %d %.200s", c.name, method, path, st, b)
		}
		return st, b
	}
	for ctx.Err() == nil {
		switch x := r.IntN(100); {
		case x < 25 || len(mine) == 0:
			st, b := timed("list", "GET", fmt.Sprintf("/api/v1/projects?page=%d&per_page=50", r.IntN(5)+1), nil)
			if st == 200 {
				var l struct {
					Items []struct {
						ID string `json:"id"`
					} `json:"items"`
				}
				json.Unmarshal(b, &l)
				for _, it := range l.Items {
					if len(mine) < 200 {
						mine = append(mine, it.ID)
					}
				}
			}
		case x < 40:
			timed("kanban", "GET", "/api/v1/projects/board", nil)
		case x < 60:
			timed("search", "GET", "/api/v1/search?q="+url.QueryEscape(queries[r.IntN(len(queries))]), nil)
		case x < 70:
			timed("get", "GET", "/api/v1/projects/"+mine[r.IntN(len(mine))], nil)
		default:
			write(ctx, c, r, s, mine[r.IntN(len(mine))], timed)
		}
	}
}

// write reads a project and edits it or moves its stage, recording the
// state it acknowledged; now and then it replays the old version, which
// must be refused.
func write(ctx context.Context, c *client, r *rand.Rand, s *stats, id string, timed func(op, method, path string, body any) (int, []byte)) {
	st, b := timed("get", "GET", "/api/v1/projects/"+id, nil)
	if st != 200 {
		return
	}
	var doc map[string]any
	if json.Unmarshal(b, &doc) != nil {
		return
	}
	version := int64(doc["version"].(float64))
	stage, _ := doc["stage"].(string)
	summary, _ := doc["summary"].(string)
	move := r.IntN(3) == 0 && contains(early, stage)
	var resp []byte
	var newStage, newSummary = stage, summary
	if move {
		to := early[r.IntN(len(early))]
		for to == stage {
			to = early[r.IntN(len(early))]
		}
		st, resp = timed("move", "POST", "/api/v1/projects/"+id+"/stage", map[string]any{"to": to, "version": version, "note": "压测"})
		newStage = to
	} else {
		in := map[string]any{"version": version}
		for _, k := range inputKeys {
			if v, ok := doc[k]; ok {
				in[k] = v
			}
		}
		newSummary = fmt.Sprintf("压测 %s %d", c.name, r.Uint64())
		in["summary"] = newSummary
		st, resp = timed("edit", "PUT", "/api/v1/projects/"+id, in)
	}
	switch st {
	case 200:
		var p struct {
			Version int64  `json:"version"`
			Summary string `json:"summary"`
			Stage   string `json:"stage"`
		}
		json.Unmarshal(resp, &p)
		if p.Version != version+1 || p.Summary != newSummary || p.Stage != newStage {
			s.fail("%s: acknowledged v%d %q/%s, expected v%d %q/%s", id, p.Version, p.Summary, p.Stage, version+1, newSummary, newStage)
		}
		s.mu.Lock()
		s.acks[id] = append(s.acks[id], ack{version: p.Version, summary: p.Summary, stage: p.Stage})
		s.mu.Unlock()
		if r.IntN(4) == 0 && ctx.Err() == nil {
			// The same edit again with the version it read: stale now.
			in := map[string]any{"version": version}
			for _, k := range inputKeys {
				if v, ok := doc[k]; ok {
					in[k] = v
				}
			}
			in["summary"] = "不应写入的过期修改"
			st, _ := timed("stale", "PUT", "/api/v1/projects/"+id, in)
			s.mu.Lock()
			s.stale++
			if st == 409 {
				s.staleOK++
			}
			s.mu.Unlock()
		}
	case 409, 422:
		// Someone else was faster, or a gate: nothing written.
	default:
		if st > 0 && st < 500 {
			s.fail("%s %s: %d %.200s", c.name, id, st, resp)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
