using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Enterprises;

/// <summary>
/// The 18-character unified social credit code (统一社会信用代码, GB 32100-2015): characters from a 31-letter
/// alphabet (no I, O, Z, S, V). Character 1 is the registration authority (登记管理部门), character 2 the category
/// (机构类别) within that authority, characters 3–8 the registering office's administrative division (6 digits),
/// characters 9–17 the organisation code (组织机构代码, GB 11714) whose 17th character is its own check digit, and
/// character 18 the check character over the first 17 (weights 3^i mod 31). The division is not looked up in GB/T 2260.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>
    /// Registration authorities and the categories each may issue: GB 32100-2015 annex A with the authorities added
    /// since (外交, 司法行政, 文化, 旅游, 宗教, 工会, A 中央军委改革和编制办公室, N 农业). Only 9x is an enterprise, but
    /// a valid code of another authority is still a valid code, so all are accepted.
    /// </summary>
    private static readonly IReadOnlyDictionary<char, (string Zh, string En, (char Code, string Zh)[] Categories)> Authorities =
        new Dictionary<char, (string, string, (char, string)[])>
        {
            ['1'] = ("机构编制", "establishment office", [('1', "机关"), ('2', "事业单位"), ('3', "中央编办直接管理机构编制的群众团体"), ('9', "其他")]),
            ['2'] = ("外交", "foreign affairs", [('1', "外国常驻新闻机构"), ('9', "其他")]),
            ['3'] = ("司法行政", "justice", [('1', "律师执业机构"), ('2', "公证处"), ('3', "基层法律服务所"), ('4', "司法鉴定机构"), ('5', "仲裁委员会"), ('9', "其他")]),
            ['4'] = ("文化", "culture", [('1', "外国在华文化中心"), ('9', "其他")]),
            ['5'] = ("民政", "civil affairs", [('1', "社会团体"), ('2', "民办非企业单位"), ('3', "基金会"), ('9', "其他")]),
            ['6'] = ("旅游", "tourism", [('1', "外国旅游部门常驻代表机构"), ('2', "港澳台地区旅游部门常驻内地（大陆）代表机构"), ('9', "其他")]),
            ['7'] = ("宗教", "religious affairs", [('1', "宗教活动场所"), ('2', "宗教院校"), ('9', "其他")]),
            ['8'] = ("工会", "trade unions", [('1', "基层工会"), ('9', "其他")]),
            ['9'] = ("工商", "market regulation", [('1', "企业"), ('2', "个体工商户"), ('3', "农民专业合作社")]),
            ['A'] = ("中央军委改革和编制办公室", "military establishment office", [('1', "军队事业单位"), ('9', "其他")]),
            ['N'] = ("农业", "agriculture", [('1', "组级集体经济组织"), ('2', "村级集体经济组织"), ('3', "乡镇级集体经济组织"), ('9', "其他")]),
            ['Y'] = ("其他", "other", [('1', "其他")]),
        };

    public static string Normalise(string code) => code.Trim().ToUpperInvariant();

    public static char ComputeCheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>
    /// The check digit of an organisation code over its first 8 characters (GB 11714: digits count as themselves,
    /// letters A–Z as 10–35; C9 = 11 − (Σ mod 11), where 10 is written X and 11 is written 0).
    /// </summary>
    public static char ComputeOrganisationCheckCharacter(string first8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
            sum += (char.IsAsciiDigit(first8[i]) ? first8[i] - '0' : first8[i] - 'A' + 10) * OrganisationWeights[i];
        return (11 - sum % 11) switch { 10 => 'X', 11 => '0', var digit => (char)('0' + digit) };
    }

    /// <summary>Why the code is not valid, or null when it is.</summary>
    public static LocalizedText? Check(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return new("统一社会信用代码不能为空", "the unified social credit code is required");
        code = Normalise(code);
        if (code.Length != 18)
            return new($"统一社会信用代码须为 18 位，现为 {code.Length} 位", $"the code must have 18 characters, not {code.Length}");
        for (var i = 0; i < 18; i++)
            if (Alphabet.IndexOf(code[i]) < 0)
                return new($"第 {i + 1} 位字符“{code[i]}”不允许（只能是数字和除 I、O、Z、S、V 外的大写字母）",
                    $"character {i + 1} '{code[i]}' is not allowed (digits and capital letters except I, O, Z, S, V)");
        if (!Authorities.TryGetValue(code[0], out var authority))
            return new($"第 1 位登记管理部门代码“{code[0]}”无效（应为 1–9、A、N 或 Y，企业为 9）",
                $"character 1, the registration authority '{code[0]}', is not valid (1–9, A, N or Y; 9 for enterprises)");
        if (!authority.Categories.Any(c => c.Code == code[1]))
            return new($"第 2 位机构类别代码“{code[1]}”不属于登记管理部门“{code[0]} {authority.Zh}”（可为 {string.Join("、", authority.Categories.Select(c => $"{c.Code} {c.Zh}"))}）",
                $"character 2, the category '{code[1]}', does not exist for registration authority '{code[0]}' ({authority.En}); allowed: {string.Join(", ", authority.Categories.Select(c => c.Code))}");
        for (var i = 2; i < 8; i++)
            if (!char.IsAsciiDigit(code[i]))
                return new($"第 3–8 位登记管理机关行政区划码须为 6 位数字，第 {i + 1} 位是“{code[i]}”",
                    $"characters 3–8, the administrative division, must be 6 digits; character {i + 1} is '{code[i]}'");
        var organisationCheck = ComputeOrganisationCheckCharacter(code[8..16]);
        if (code[16] != organisationCheck)
            return new($"组织机构代码校验码错误：第 17 位应为“{organisationCheck}”，不是“{code[16]}”（GB 11714，第 9–17 位为组织机构代码）",
                $"wrong organisation-code check digit: the 17th character should be '{organisationCheck}', not '{code[16]}' (GB 11714; characters 9–17 are the organisation code)");
        var expected = ComputeCheckCharacter(code[..17]);
        return code[17] == expected
            ? null
            : new($"校验码错误：第 18 位应为“{expected}”，不是“{code[17]}”", $"wrong check character: the 18th should be '{expected}', not '{code[17]}'");
    }
}
