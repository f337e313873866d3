package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// entryCheck is what one pass saw of one tar entry.
type entryCheck struct {
	size  int64
	sum   string
	count int64
}

// Verify reads the whole file: gzip CRC, tar structure, every
// collection entry parsed as BSON, every entry hashed and compared with the
// manifest. It changes nothing.
func Verify(in string) (*Manifest, error) {
	var m *Manifest
	seen := map[string]entryCheck{}
	err := Walk(in, func(name string, r io.Reader) error {
		if _, dup := seen[name]; dup {
			return corrupt("条目 %s 重复", name)
		}
		switch {
		case name == ManifestEntry:
			b, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
			if err != nil {
				return err
			}
			if len(b) > maxManifest {
				return corrupt("manifest.json 过大")
			}
			m = &Manifest{}
			if err := json.Unmarshal(b, m); err != nil {
				return corrupt("manifest.json 无法解析：%v", err)
			}
			seen[name] = entryCheck{}
			return nil
		case strings.HasPrefix(name, "collections/"):
			h := sha256.New()
			n, size, err := ReadBSON(r, h, nil)
			if err != nil {
				return corrupt("%s：%v", name, err)
			}
			seen[name] = entryCheck{size: size, sum: hexSum(h), count: n}
			return nil
		case attachPath.MatchString(name):
			h := sha256.New()
			n, err := io.Copy(h, r)
			if err != nil {
				return err
			}
			seen[name] = entryCheck{size: n, sum: hexSum(h)}
			return nil
		}
		return corrupt("不认识的条目 %q", name)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, corrupt("缺少 manifest.json（文件不完整？）")
	}
	if m.Format != Format {
		return nil, corrupt("不是 zhaoshang 备份（format=%q）", m.Format)
	}
	if m.Version != Version {
		return nil, corrupt("备份格式版本 %d，本程序只认 %d", m.Version, Version)
	}
	want := map[string]bool{ManifestEntry: true}
	for _, c := range m.Collections {
		if !collName.MatchString(c.Name) || c.Entry != "collections/"+c.Name+".bson" || want[c.Entry] {
			return nil, corrupt("清单中的集合名 %q 无效", c.Name)
		}
		want[c.Entry] = true
		got, ok := seen[c.Entry]
		switch {
		case !ok:
			return nil, corrupt("缺少集合 %s 的数据", c.Name)
		case got.sum != c.SHA256 || got.size != c.Bytes:
			return nil, corrupt("集合 %s 的校验和不符", c.Name)
		case got.count != c.Count:
			return nil, corrupt("集合 %s 应有 %d 条文档，实有 %d 条", c.Name, c.Count, got.count)
		}
	}
	for _, f := range m.Files {
		if !attachPath.MatchString(f.Path) || want[f.Path] {
			return nil, corrupt("清单中的附件路径 %q 无效", f.Path)
		}
		want[f.Path] = true
		got, ok := seen[f.Path]
		switch {
		case !ok:
			return nil, corrupt("缺少附件 %s", f.Path)
		case got.sum != f.SHA256 || got.size != f.Size:
			return nil, corrupt("附件 %s 的校验和不符", f.Path)
		}
	}
	for name := range seen {
		if !want[name] {
			return nil, corrupt("条目 %s 不在清单中", name)
		}
	}
	return m, nil
}

// Walk calls fn for every regular entry and reads the gzip stream to
// its end, so that a bad CRC or a truncated file is an error.
func Walk(in string, fn func(name string, r io.Reader) error) error {
	f, err := os.Open(in)
	if errors.Is(err, fs.ErrNotExist) {
		return inputf("找不到备份文件 %s", in)
	}
	if err != nil {
		return inputf("无法读取备份文件 %s：%v", in, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return corrupt("不是 gzip 文件（%v）", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return corrupt("读取失败（文件损坏或被截断）：%v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return corrupt("条目 %q 不是普通文件", hdr.Name)
		}
		if path.Clean(hdr.Name) != hdr.Name || strings.HasPrefix(hdr.Name, "/") || strings.Contains(hdr.Name, "..") {
			return corrupt("条目名 %q 不安全", hdr.Name)
		}
		if err := fn(hdr.Name, tr); err != nil {
			var ue InputError
			if errors.As(err, &ue) {
				return err
			}
			return corrupt("读取 %s 失败（文件损坏或被截断）：%v", hdr.Name, err)
		}
	}
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return corrupt("读取失败（文件损坏或被截断）：%v", err)
	}
	return nil
}

// ReadBSON reads documents one after another until EOF, hashing
// every byte into h and handing each document to fn (if not nil).
func ReadBSON(r io.Reader, h hash.Hash, fn func(bson.Raw) error) (count, size int64, err error) {
	br := bufio.NewReaderSize(io.TeeReader(r, h), 1<<20)
	var head [4]byte
	for {
		if _, err := io.ReadFull(br, head[:]); err == io.EOF {
			return count, size, nil
		} else if err != nil {
			return count, size, fmt.Errorf("第 %d 条文档不完整", count+1)
		}
		n := int64(binary.LittleEndian.Uint32(head[:]))
		if n < 5 || n > maxBSONDoc {
			return count, size, fmt.Errorf("第 %d 条文档长度 %d 无效", count+1, n)
		}
		doc := make([]byte, n)
		copy(doc, head[:])
		if _, err := io.ReadFull(br, doc[4:]); err != nil {
			return count, size, fmt.Errorf("第 %d 条文档不完整", count+1)
		}
		raw := bson.Raw(doc)
		if err := raw.Validate(); err != nil {
			return count, size, fmt.Errorf("第 %d 条文档无效：%v", count+1, err)
		}
		count++
		size += n
		if fn != nil {
			if err := fn(raw); err != nil {
				return count, size, err
			}
		}
	}
}
