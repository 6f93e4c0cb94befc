import { javascript } from '@codemirror/lang-javascript';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { keymap } from '@codemirror/view';
import { EditorView, basicSetup } from 'codemirror';

/** The code editor: CodeMirror with JavaScript highlighting, Ctrl/Cmd-Enter to run, inline errors. */
export interface CodeEditor {
  view: EditorView;
  getCode(): string;
  setCode(code: string): void;
  /** Marks `line` (1-based; null: no line known) with `message`; `null` clears the marks. */
  showError(error: { message: string; line: number | null } | null): void;
}

export function createEditor(
  parent: HTMLElement,
  options: { onRun: () => void; onChange: () => void },
): CodeEditor {
  const view = new EditorView({
    parent,
    extensions: [
      keymap.of([
        {
          key: 'Mod-Enter',
          preventDefault: true,
          run: () => {
            options.onRun();
            return true;
          },
        },
      ]),
      basicSetup,
      javascript(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.onChange();
      }),
      EditorView.contentAttributes.of({ 'aria-label': 'code' }),
    ],
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    showError(error) {
      const diagnostics: Diagnostic[] = [];
      const doc = view.state.doc;
      if (error && error.line !== null && error.line >= 1 && error.line <= doc.lines) {
        const line = doc.line(error.line);
        diagnostics.push({
          from: line.from,
          to: line.to,
          severity: 'error',
          message: error.message,
        });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
  };
}
