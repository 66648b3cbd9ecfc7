namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// Why an expression in a process definition was refused, in English and in Chinese (zh-CN), so the process
/// editor can show the administrator the message in their language.
/// </summary>
public sealed record ExpressionError(string Message, string MessageZh);
