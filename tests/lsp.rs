//! `ecsc lsp`: a client speaking JSON-RPC to the real binary over its
//! standard input and output, through every capability the server offers.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecsc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            input,
            output,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result (notifications on the way are
    /// kept for [`Client::diagnostics`]).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let msg = self.receive();
            if msg["id"] == id {
                assert!(msg.get("error").is_none(), "{method}: {msg}");
                return msg["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let msg = self.receive();
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

const STACK: &str = r#"stack app { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task web {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"

  }
}
service web {
  cluster = main  task = web  count = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
"#;

fn at(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

#[test]
fn every_capability_over_json_rpc() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("app.ecs");
    std::fs::write(&file, STACK).unwrap();
    let uri = format!("file://{}", file.display());
    let doc = json!({ "uri": uri });

    let mut c = Client::start();
    let init = c.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    let caps = &init["capabilities"];
    for cap in [
        "hoverProvider",
        "completionProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "documentFormattingProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    c.notify("initialized", json!({}));

    // Diagnostics as you type: a Fargate size AWS refuses, then fixed.
    let bad = STACK.replace("cpu = 256", "cpu = 300");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "ecs", "version": 1, "text": bad } }),
    );
    let found = c.diagnostics(&uri);
    let error = found
        .iter()
        .find(|d| d["severity"] == 1)
        .unwrap_or_else(|| panic!("no error in {found:?}"));
    assert_eq!(error["source"], "ecsc");
    assert_eq!(error["range"]["start"]["line"], 6, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("help:"),
        "{error}"
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": STACK }] }),
    );
    let found = c.diagnostics(&uri);
    assert!(found.iter().all(|d| d["severity"] != 1), "{found:?}");

    // Hover: an attribute's docs, and what a name resolves to.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": at(1, 12) }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**cidr**") && text.contains("CIDR"), "{text}");
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": at(2, 18) }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("vpc main { cidr = 10.0.0.0/16 }"), "{text}");

    // Definition: `cluster = main` is the cluster, not the VPC.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": doc, "position": at(13, 13) }),
    );
    assert_eq!(def["range"]["start"]["line"], 4, "{def}");
    assert_eq!(def["uri"], uri);

    // References of the VPC: its declaration and the two `vpc = main`.
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": doc, "position": at(1, 5), "context": { "includeDeclaration": true } }),
    );
    let lines: Vec<i64> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3], "{refs}");

    // Rename the VPC: three edits, none on the cluster of the same name.
    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": doc, "position": at(1, 5), "newName": "core" }),
    );
    let edits = edit["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 3, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "core"));
    assert!(edits.iter().all(|e| e["range"]["start"]["line"] != 4));

    // Completion: a container's members on its empty line, and the
    // clusters after `cluster =`.
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": at(9, 4) }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for want in ["image", "port", "health", "secret"] {
        assert!(labels.contains(&want), "{want} not in {labels:?}");
    }
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": at(13, 12) }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["main"], "{items}");

    // Formatting: the canonical layout as one edit.
    let messy = STACK.replace("cluster main { }", "cluster   main{}");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": messy }] }),
    );
    let _ = c.diagnostics(&uri);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let new_text = edits[0]["newText"].as_str().unwrap();
    assert!(new_text.contains("cluster main { }"), "{new_text}");

    let _ = c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_capacity_names_its_instance_group() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp_ec2");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ec2-cluster.ecs"),
    )
    .unwrap();
    let file = dir.join("ec2.ecs");
    std::fs::write(&file, &text).unwrap();
    let uri = format!("file://{}", file.display());
    let line_of = |needle: &str| -> (u32, u32) {
        let (n, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (n as u32, l.find(needle).unwrap() as u32)
    };
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    c.notify("initialized", json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "ecs", "version": 1, "text": text } }),
    );
    let _ = c.diagnostics(&uri);
    let (line, col) = line_of("capacity general");
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": at(line, col + 9) }),
    );
    assert_eq!(
        def["range"]["start"]["line"],
        line_of("instances general").0,
        "{def}"
    );
    // An unknown method is MethodNotFound, and the server goes on.
    c.send(json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/codeLens", "params": {} }));
    loop {
        let msg = c.receive();
        if msg["id"] == 99 {
            assert_eq!(msg["error"]["code"], -32601, "{msg}");
            break;
        }
    }
    let _ = c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}
