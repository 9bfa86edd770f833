"""dccs: screens Vietnamese agency documents against Luật 10/2022/QH15 and Nghị định 59/2023/NĐ-CP."""

__version__ = "0.1.0"
