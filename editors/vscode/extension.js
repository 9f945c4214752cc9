// Starts `ecsc lsp` for .ecs files: diagnostics as you type, hover,
// completion, go to definition, references, rename and formatting.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("ecsc").get("path") || "ecsc";
  client = new LanguageClient(
    "ecsc",
    "ecsc",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "ecs" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
