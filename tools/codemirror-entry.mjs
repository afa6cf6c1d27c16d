// The rule editor's CodeMirror 6 (www/editor/source.js), bundled by tools/vendor.mjs into one ES
// module, www/vendor/codemirror.js, loaded by the 细则编辑 view only (dynamic import). Only what
// the source view uses is exported, so the bundle carries nothing else.
export { EditorState, Compartment, StateEffect } from '@codemirror/state';
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars,
} from '@codemirror/view';
export { history, defaultKeymap, historyKeymap, indentWithTab, undo, redo } from '@codemirror/commands';
export {
  syntaxTree, ensureSyntaxTree, foldGutter, foldKeymap, bracketMatching, indentOnInput, syntaxHighlighting,
  defaultHighlightStyle,
} from '@codemirror/language';
export { json } from '@codemirror/lang-json';
export { linter, lintGutter, setDiagnostics, forceLinting, lintKeymap } from '@codemirror/lint';
export { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion } from '@codemirror/autocomplete';
export { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
