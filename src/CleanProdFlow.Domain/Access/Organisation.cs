namespace CleanProdFlow.Domain.Access;

/// <summary>
/// The provincial department or one of Jiangsu's 13 city bureaus. Staff act on the cases of their own
/// organisation; the province supervises all of them.
/// </summary>
public sealed record Organisation(string Code, string NameZh, string NameEn)
{
    public const string ProvinceCode = "province";

    public bool IsProvince => Code == ProvinceCode;

    public static IReadOnlyList<Organisation> All { get; } =
    [
        new(ProvinceCode, "江苏省生态环境厅", "Jiangsu Provincial Department of Ecology and Environment"),
        new("nanjing", "南京市生态环境局", "Nanjing Ecology and Environment Bureau"),
        new("wuxi", "无锡市生态环境局", "Wuxi Ecology and Environment Bureau"),
        new("xuzhou", "徐州市生态环境局", "Xuzhou Ecology and Environment Bureau"),
        new("changzhou", "常州市生态环境局", "Changzhou Ecology and Environment Bureau"),
        new("suzhou", "苏州市生态环境局", "Suzhou Ecology and Environment Bureau"),
        new("nantong", "南通市生态环境局", "Nantong Ecology and Environment Bureau"),
        new("lianyungang", "连云港市生态环境局", "Lianyungang Ecology and Environment Bureau"),
        new("huaian", "淮安市生态环境局", "Huai'an Ecology and Environment Bureau"),
        new("yancheng", "盐城市生态环境局", "Yancheng Ecology and Environment Bureau"),
        new("yangzhou", "扬州市生态环境局", "Yangzhou Ecology and Environment Bureau"),
        new("zhenjiang", "镇江市生态环境局", "Zhenjiang Ecology and Environment Bureau"),
        new("taizhou", "泰州市生态环境局", "Taizhou Ecology and Environment Bureau"),
        new("suqian", "宿迁市生态环境局", "Suqian Ecology and Environment Bureau"),
    ];

    private static readonly Dictionary<string, Organisation> ByCode = All.ToDictionary(o => o.Code, StringComparer.Ordinal);

    public static Organisation? Find(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var organisation) ? organisation : null;
}
